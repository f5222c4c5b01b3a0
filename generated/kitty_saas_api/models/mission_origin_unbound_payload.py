# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.provider import Provider, check_provider
from ..types import UNSET, Unset

T = TypeVar("T", bound="MissionOriginUnboundPayload")


@_attrs_define
class MissionOriginUnboundPayload:
    """Payload of the MissionOriginUnbound event: the SaaS answered `removed` to an unbind, so the mission no longer
    originates from this ticket (observational telemetry; the unbind call is the authoritative write). With
    MissionOriginBound it makes a mission's event stream tell one story: bound, unbound, bound again.

    """

    mission_slug: str
    """ Mission slug (`061-add-clerk-auth`, or upstream's `web-123-01M7ZQRA`). """
    mission_id: str
    """ A ULID: 48-bit millisecond time and 80 random bits in upper-case Crockford base32 (26 characters). """
    provider: Provider
    """ A task tracker the SaaS mediates. Jira and Linear are the v1 origin providers; GitHub Issues is a connector
    of equal rank that clients enable explicitly. """
    external_issue_id: str
    external_issue_key: str
    external_issue_url: str | Unset = UNSET
    title: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        mission_slug = self.mission_slug

        mission_id = self.mission_id

        provider: str = self.provider

        external_issue_id = self.external_issue_id

        external_issue_key = self.external_issue_key

        external_issue_url = self.external_issue_url

        title = self.title

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mission_slug": mission_slug,
                "mission_id": mission_id,
                "provider": provider,
                "external_issue_id": external_issue_id,
                "external_issue_key": external_issue_key,
            }
        )
        if external_issue_url is not UNSET:
            field_dict["external_issue_url"] = external_issue_url
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mission_slug = d.pop("mission_slug")

        mission_id = d.pop("mission_id")

        provider = check_provider(d.pop("provider"))

        external_issue_id = d.pop("external_issue_id")

        external_issue_key = d.pop("external_issue_key")

        external_issue_url = d.pop("external_issue_url", UNSET)

        title = d.pop("title", UNSET)

        mission_origin_unbound_payload = cls(
            mission_slug=mission_slug,
            mission_id=mission_id,
            provider=provider,
            external_issue_id=external_issue_id,
            external_issue_key=external_issue_key,
            external_issue_url=external_issue_url,
            title=title,
        )

        return mission_origin_unbound_payload
