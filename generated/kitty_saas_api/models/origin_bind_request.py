# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.provider import Provider, check_provider
from ..types import UNSET, Unset

T = TypeVar("T", bound="OriginBindRequest")


@_attrs_define
class OriginBindRequest:
    """Create the authoritative MissionOriginLink for a mission. One origin per mission: the same issue again is a no-op
    success, a different issue is a 409.

    """

    provider: Provider
    """ A task tracker the SaaS mediates. Jira and Linear are the v1 origin providers; GitHub Issues is a connector
    of equal rank that clients enable explicitly. """
    mission_id: str
    """ A ULID: 48-bit millisecond time and 80 random bits in upper-case Crockford base32 (26 characters). """
    external_issue_id: str
    external_issue_key: str
    external_issue_url: str
    external_title: str
    mission_slug: str | Unset = UNSET
    """ Mission slug (`061-add-clerk-auth`, or upstream's `web-123-01M7ZQRA`). """
    external_status: str | Unset = UNSET
    """ Provider status at bind time; may be empty. """
    project_slug: str | Unset = UNSET
    """ The Spec Kitty project slug bound in `.kittify/config.yaml` (`tracker.project_slug`). """
    binding_ref: str | Unset = UNSET
    """ Opaque hosted binding reference (`tracker.binding_ref`); preferred over `project_slug` when both are sent.
    """

    def to_dict(self) -> dict[str, Any]:
        provider: str = self.provider

        mission_id = self.mission_id

        external_issue_id = self.external_issue_id

        external_issue_key = self.external_issue_key

        external_issue_url = self.external_issue_url

        external_title = self.external_title

        mission_slug = self.mission_slug

        external_status = self.external_status

        project_slug = self.project_slug

        binding_ref = self.binding_ref

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "provider": provider,
                "mission_id": mission_id,
                "external_issue_id": external_issue_id,
                "external_issue_key": external_issue_key,
                "external_issue_url": external_issue_url,
                "external_title": external_title,
            }
        )
        if mission_slug is not UNSET:
            field_dict["mission_slug"] = mission_slug
        if external_status is not UNSET:
            field_dict["external_status"] = external_status
        if project_slug is not UNSET:
            field_dict["project_slug"] = project_slug
        if binding_ref is not UNSET:
            field_dict["binding_ref"] = binding_ref

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        provider = check_provider(d.pop("provider"))

        mission_id = d.pop("mission_id")

        external_issue_id = d.pop("external_issue_id")

        external_issue_key = d.pop("external_issue_key")

        external_issue_url = d.pop("external_issue_url")

        external_title = d.pop("external_title")

        mission_slug = d.pop("mission_slug", UNSET)

        external_status = d.pop("external_status", UNSET)

        project_slug = d.pop("project_slug", UNSET)

        binding_ref = d.pop("binding_ref", UNSET)

        origin_bind_request = cls(
            provider=provider,
            mission_id=mission_id,
            external_issue_id=external_issue_id,
            external_issue_key=external_issue_key,
            external_issue_url=external_issue_url,
            external_title=external_title,
            mission_slug=mission_slug,
            external_status=external_status,
            project_slug=project_slug,
            binding_ref=binding_ref,
        )

        return origin_bind_request
