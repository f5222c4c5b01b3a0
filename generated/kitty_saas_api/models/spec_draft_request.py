# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.provider import Provider, check_provider
from ..types import UNSET, Unset

T = TypeVar("T", bound="SpecDraftRequest")


@_attrs_define
class SpecDraftRequest:
    """Render the first `spec.md` of a mission from a ticket of the container mapped to a project. The SaaS fetches the
    ticket itself, by its stable id, with the acting user's linked identity, and renders it with the connector's one
    spec template.

    """

    provider: Provider
    """ A task tracker the SaaS mediates. Jira and Linear are the v1 origin providers; GitHub Issues is a connector
    of equal rank that clients enable explicitly. """
    external_issue_id: str
    """ The ticket's stable provider id (a search candidate's `external_issue_id`). """
    project_slug: str | Unset = UNSET
    """ The Spec Kitty project slug bound in `.kittify/config.yaml` (`tracker.project_slug`). """
    binding_ref: str | Unset = UNSET
    """ Opaque hosted binding reference (`tracker.binding_ref`); preferred over `project_slug` when both are sent.
    """
    external_issue_key: str | Unset = UNSET
    """ The key the caller last saw; a hint only (keys move), the answer carries the current one. """

    def to_dict(self) -> dict[str, Any]:
        provider: str = self.provider

        external_issue_id = self.external_issue_id

        project_slug = self.project_slug

        binding_ref = self.binding_ref

        external_issue_key = self.external_issue_key

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "provider": provider,
                "external_issue_id": external_issue_id,
            }
        )
        if project_slug is not UNSET:
            field_dict["project_slug"] = project_slug
        if binding_ref is not UNSET:
            field_dict["binding_ref"] = binding_ref
        if external_issue_key is not UNSET:
            field_dict["external_issue_key"] = external_issue_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        provider = check_provider(d.pop("provider"))

        external_issue_id = d.pop("external_issue_id")

        project_slug = d.pop("project_slug", UNSET)

        binding_ref = d.pop("binding_ref", UNSET)

        external_issue_key = d.pop("external_issue_key", UNSET)

        spec_draft_request = cls(
            provider=provider,
            external_issue_id=external_issue_id,
            project_slug=project_slug,
            binding_ref=binding_ref,
            external_issue_key=external_issue_key,
        )

        return spec_draft_request
