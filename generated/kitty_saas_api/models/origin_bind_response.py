# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.origin_bind_response_bind_outcome import (
    OriginBindResponseBindOutcome,
    check_origin_bind_response_bind_outcome,
)
from ..models.provider import Provider, check_provider
from ..models.resource_type import ResourceType, check_resource_type
from ..models.status_category import StatusCategory, check_status_category
from ..types import UNSET, Unset

T = TypeVar("T", bound="OriginBindResponse")


@_attrs_define
class OriginBindResponse:
    """The stored MissionOriginLink. `outcome` says whether this call created it or found the same origin already bound.
    Key, URL, title and status are the tracker's canonical values, resolved by the SaaS through the mapped container's
    connector, never the client's claim.

    """

    origin_link_id: str
    """ Stable id of the link; the same origin bound again returns the same id. """
    bound_at: datetime.datetime
    outcome: OriginBindResponseBindOutcome
    mission_id: str
    """ A ULID: 48-bit millisecond time and 80 random bits in upper-case Crockford base32 (26 characters). """
    provider: Provider
    """ A task tracker the SaaS mediates. Jira and Linear are the v1 origin providers; GitHub Issues is a connector
    of equal rank that clients enable explicitly. """
    resource_type: ResourceType
    """ The kind of provider container a Spec Kitty project is mapped to. `x-provider` names the one tracker each
    kind belongs to: a mission's origin of that tracker lives in a container of that kind. """
    resource_id: str
    external_issue_id: str
    external_issue_key: str
    external_issue_url: str
    external_title: str
    external_status: str
    """ The ticket's status in the tracker when it was resolved (the tracker's own name, e.g. `In Review`). """
    external_status_category: StatusCategory
    """ Provider status normalized across trackers (Jira statusCategory, Linear state.type, GitHub state +
    state_reason). The provider's own status name stays in `status`. """
    mission_slug: str | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        origin_link_id = self.origin_link_id

        bound_at = self.bound_at.isoformat()

        outcome: str = self.outcome

        mission_id = self.mission_id

        provider: str = self.provider

        resource_type: str = self.resource_type

        resource_id = self.resource_id

        external_issue_id = self.external_issue_id

        external_issue_key = self.external_issue_key

        external_issue_url = self.external_issue_url

        external_title = self.external_title

        external_status = self.external_status

        external_status_category: str = self.external_status_category

        mission_slug: str | Unset | None
        if isinstance(self.mission_slug, Unset):
            mission_slug = UNSET
        else:
            mission_slug = self.mission_slug

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "origin_link_id": origin_link_id,
                "bound_at": bound_at,
                "outcome": outcome,
                "mission_id": mission_id,
                "provider": provider,
                "resource_type": resource_type,
                "resource_id": resource_id,
                "external_issue_id": external_issue_id,
                "external_issue_key": external_issue_key,
                "external_issue_url": external_issue_url,
                "external_title": external_title,
                "external_status": external_status,
                "external_status_category": external_status_category,
            }
        )
        if mission_slug is not UNSET:
            field_dict["mission_slug"] = mission_slug

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        origin_link_id = d.pop("origin_link_id")

        bound_at = datetime.datetime.fromisoformat(d.pop("bound_at"))

        outcome = check_origin_bind_response_bind_outcome(d.pop("outcome"))

        mission_id = d.pop("mission_id")

        provider = check_provider(d.pop("provider"))

        resource_type = check_resource_type(d.pop("resource_type"))

        resource_id = d.pop("resource_id")

        external_issue_id = d.pop("external_issue_id")

        external_issue_key = d.pop("external_issue_key")

        external_issue_url = d.pop("external_issue_url")

        external_title = d.pop("external_title")

        external_status = d.pop("external_status")

        external_status_category = check_status_category(d.pop("external_status_category"))

        def _parse_mission_slug(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mission_slug = _parse_mission_slug(d.pop("mission_slug", UNSET))

        origin_bind_response = cls(
            origin_link_id=origin_link_id,
            bound_at=bound_at,
            outcome=outcome,
            mission_id=mission_id,
            provider=provider,
            resource_type=resource_type,
            resource_id=resource_id,
            external_issue_id=external_issue_id,
            external_issue_key=external_issue_key,
            external_issue_url=external_issue_url,
            external_title=external_title,
            external_status=external_status,
            external_status_category=external_status_category,
            mission_slug=mission_slug,
        )

        return origin_bind_response
