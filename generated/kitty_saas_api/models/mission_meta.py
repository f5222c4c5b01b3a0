# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.origin_ticket import OriginTicket


T = TypeVar("T", bound="MissionMeta")


@_attrs_define
class MissionMeta:
    """A mission's `kitty-specs/<slug>/meta.json`. Unknown keys written by other spec-kitty tools are kept."""

    mission_id: str
    """ A ULID: 48-bit millisecond time and 80 random bits in upper-case Crockford base32 (26 characters). """
    slug: str
    mission_slug: str
    friendly_name: str
    mission_type: str
    target_branch: str
    created_at: datetime.datetime
    mission_number: int | Unset | None = UNSET
    origin_ticket: OriginTicket | Unset = UNSET
    """ The `origin_ticket` block of a mission's meta.json: stable external identifiers and routing context only (no
    SaaS primary keys), readable offline. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        mission_id = self.mission_id

        slug = self.slug

        mission_slug = self.mission_slug

        friendly_name = self.friendly_name

        mission_type = self.mission_type

        target_branch = self.target_branch

        created_at = self.created_at.isoformat()

        mission_number: int | Unset | None
        if isinstance(self.mission_number, Unset):
            mission_number = UNSET
        else:
            mission_number = self.mission_number

        origin_ticket: dict[str, Any] | Unset = UNSET
        if not isinstance(self.origin_ticket, Unset):
            origin_ticket = self.origin_ticket.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "mission_id": mission_id,
                "slug": slug,
                "mission_slug": mission_slug,
                "friendly_name": friendly_name,
                "mission_type": mission_type,
                "target_branch": target_branch,
                "created_at": created_at,
            }
        )
        if mission_number is not UNSET:
            field_dict["mission_number"] = mission_number
        if origin_ticket is not UNSET:
            field_dict["origin_ticket"] = origin_ticket

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.origin_ticket import OriginTicket

        d = dict(src_dict)
        mission_id = d.pop("mission_id")

        slug = d.pop("slug")

        mission_slug = d.pop("mission_slug")

        friendly_name = d.pop("friendly_name")

        mission_type = d.pop("mission_type")

        target_branch = d.pop("target_branch")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_mission_number(data: object) -> int | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        mission_number = _parse_mission_number(d.pop("mission_number", UNSET))

        _origin_ticket = d.pop("origin_ticket", UNSET)
        origin_ticket: OriginTicket | Unset
        if isinstance(_origin_ticket, Unset):
            origin_ticket = UNSET
        else:
            origin_ticket = OriginTicket.from_dict(_origin_ticket)

        mission_meta = cls(
            mission_id=mission_id,
            slug=slug,
            mission_slug=mission_slug,
            friendly_name=friendly_name,
            mission_type=mission_type,
            target_branch=target_branch,
            created_at=created_at,
            mission_number=mission_number,
            origin_ticket=origin_ticket,
        )

        mission_meta.additional_properties = d
        return mission_meta

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
