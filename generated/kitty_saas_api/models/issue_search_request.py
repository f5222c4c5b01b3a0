# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.provider import Provider, check_provider
from ..types import UNSET, Unset

T = TypeVar("T", bound="IssueSearchRequest")


@_attrs_define
class IssueSearchRequest:
    """Search the tracker container mapped to a project. Exactly one routing key is needed (`project_slug` or
    `binding_ref`) and at least one query (`query_key` or `query_text`); when both queries are sent the key wins.

    """

    provider: Provider
    """ A task tracker the SaaS mediates. Jira and Linear are the v1 origin providers; GitHub Issues is a connector
    of equal rank that clients enable explicitly. """
    project_slug: str | Unset = UNSET
    """ The Spec Kitty project slug bound in `.kittify/config.yaml` (`tracker.project_slug`). """
    binding_ref: str | Unset = UNSET
    """ Opaque hosted binding reference (`tracker.binding_ref`); preferred over `project_slug` when both are sent.
    """
    query_text: str | Unset = UNSET
    """ Free text matched against title and description. """
    query_key: str | Unset = UNSET
    """ An exact issue key (`WEB-123`, `IAM-42`, `#42`). Takes precedence over `query_text`. """
    limit: int | Unset = 10
    """ Maximum number of candidates. """

    def to_dict(self) -> dict[str, Any]:
        provider: str = self.provider

        project_slug = self.project_slug

        binding_ref = self.binding_ref

        query_text = self.query_text

        query_key = self.query_key

        limit = self.limit

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "provider": provider,
            }
        )
        if project_slug is not UNSET:
            field_dict["project_slug"] = project_slug
        if binding_ref is not UNSET:
            field_dict["binding_ref"] = binding_ref
        if query_text is not UNSET:
            field_dict["query_text"] = query_text
        if query_key is not UNSET:
            field_dict["query_key"] = query_key
        if limit is not UNSET:
            field_dict["limit"] = limit

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        provider = check_provider(d.pop("provider"))

        project_slug = d.pop("project_slug", UNSET)

        binding_ref = d.pop("binding_ref", UNSET)

        query_text = d.pop("query_text", UNSET)

        query_key = d.pop("query_key", UNSET)

        limit = d.pop("limit", UNSET)

        issue_search_request = cls(
            provider=provider,
            project_slug=project_slug,
            binding_ref=binding_ref,
            query_text=query_text,
            query_key=query_key,
            limit=limit,
        )

        return issue_search_request
