# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.provider import Provider, check_provider

if TYPE_CHECKING:
    from ..models.origin_link import OriginLink


T = TypeVar("T", bound="TicketMissionsResponse")


@_attrs_define
class TicketMissionsResponse:
    """The acting team's missions that originate from one ticket, newest bind first."""

    provider: Provider
    """ A task tracker the SaaS mediates. Jira and Linear are the v1 origin providers; GitHub Issues is a connector
    of equal rank that clients enable explicitly. """
    external_issue_id: str
    links: list[OriginLink]

    def to_dict(self) -> dict[str, Any]:
        provider: str = self.provider

        external_issue_id = self.external_issue_id

        links = []
        for links_item_data in self.links:
            links_item = links_item_data.to_dict()
            links.append(links_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "provider": provider,
                "external_issue_id": external_issue_id,
                "links": links,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.origin_link import OriginLink

        d = dict(src_dict)
        provider = check_provider(d.pop("provider"))

        external_issue_id = d.pop("external_issue_id")

        links = []
        _links = d.pop("links")
        for links_item_data in _links:
            links_item = OriginLink.from_dict(links_item_data)

            links.append(links_item)

        ticket_missions_response = cls(
            provider=provider,
            external_issue_id=external_issue_id,
            links=links,
        )

        return ticket_missions_response
