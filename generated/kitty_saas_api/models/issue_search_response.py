# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.provider import Provider, check_provider
from ..models.resource_type import ResourceType, check_resource_type

if TYPE_CHECKING:
    from ..models.origin_candidate import OriginCandidate


T = TypeVar("T", bound="IssueSearchResponse")


@_attrs_define
class IssueSearchResponse:
    """Candidates ordered by relevance, with the routing context they were searched in."""

    candidates: list[OriginCandidate]
    provider: Provider
    """ A task tracker the SaaS mediates. Jira and Linear are the v1 origin providers; GitHub Issues is a connector
    of equal rank that clients enable explicitly. """
    resource_type: ResourceType
    """ The kind of provider container a Spec Kitty project is mapped to. `x-provider` names the one tracker each
    kind belongs to: a mission's origin of that tracker lives in a container of that kind. """
    resource_id: str
    """ Provider id of the mapped container (Jira project id, Linear team UUID, GitHub `owner/repo`). """
    query_used: str
    """ The query that was executed: `query_key` when given, else `query_text`. """

    def to_dict(self) -> dict[str, Any]:
        candidates = []
        for candidates_item_data in self.candidates:
            candidates_item = candidates_item_data.to_dict()
            candidates.append(candidates_item)

        provider: str = self.provider

        resource_type: str = self.resource_type

        resource_id = self.resource_id

        query_used = self.query_used

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "candidates": candidates,
                "provider": provider,
                "resource_type": resource_type,
                "resource_id": resource_id,
                "query_used": query_used,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.origin_candidate import OriginCandidate

        d = dict(src_dict)
        candidates = []
        _candidates = d.pop("candidates")
        for candidates_item_data in _candidates:
            candidates_item = OriginCandidate.from_dict(candidates_item_data)

            candidates.append(candidates_item)

        provider = check_provider(d.pop("provider"))

        resource_type = check_resource_type(d.pop("resource_type"))

        resource_id = d.pop("resource_id")

        query_used = d.pop("query_used")

        issue_search_response = cls(
            candidates=candidates,
            provider=provider,
            resource_type=resource_type,
            resource_id=resource_id,
            query_used=query_used,
        )

        return issue_search_response
