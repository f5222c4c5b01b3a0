# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.provider import Provider, check_provider
from ..types import UNSET, Unset

T = TypeVar("T", bound="MissionOriginBoundPayload")


@_attrs_define
class MissionOriginBoundPayload:
    """Payload of the MissionOriginBound event (observational telemetry; the bind call is the authoritative write). The
    mission is named by `mission_slug` on the wire: upstream refuses the legacy `feature_slug`.

    """

    mission_slug: str
    """ Mission slug (`061-add-clerk-auth`, or upstream's `web-123-01M7ZQRA`). """
    provider: Provider
    """ A task tracker the SaaS mediates. Jira and Linear are the v1 origin providers; GitHub Issues is a connector
    of equal rank that clients enable explicitly. """
    external_issue_id: str
    external_issue_key: str
    external_issue_url: str
    title: str
    mission_id: str | Unset = UNSET
    """ A ULID: 48-bit millisecond time and 80 random bits in upper-case Crockford base32 (26 characters). """

    def to_dict(self) -> dict[str, Any]:
        mission_slug = self.mission_slug

        provider: str = self.provider

        external_issue_id = self.external_issue_id

        external_issue_key = self.external_issue_key

        external_issue_url = self.external_issue_url

        title = self.title

        mission_id = self.mission_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mission_slug": mission_slug,
                "provider": provider,
                "external_issue_id": external_issue_id,
                "external_issue_key": external_issue_key,
                "external_issue_url": external_issue_url,
                "title": title,
            }
        )
        if mission_id is not UNSET:
            field_dict["mission_id"] = mission_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mission_slug = d.pop("mission_slug")

        provider = check_provider(d.pop("provider"))

        external_issue_id = d.pop("external_issue_id")

        external_issue_key = d.pop("external_issue_key")

        external_issue_url = d.pop("external_issue_url")

        title = d.pop("title")

        mission_id = d.pop("mission_id", UNSET)

        mission_origin_bound_payload = cls(
            mission_slug=mission_slug,
            provider=provider,
            external_issue_id=external_issue_id,
            external_issue_key=external_issue_key,
            external_issue_url=external_issue_url,
            title=title,
            mission_id=mission_id,
        )

        return mission_origin_bound_payload
