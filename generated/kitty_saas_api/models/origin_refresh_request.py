# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="OriginRefreshRequest")


@_attrs_define
class OriginRefreshRequest:
    """Refresh a mission's origin link from the tracker: the SaaS fetches the ticket again by its stable id (keys move,
    titles and statuses change) with the acting user's linked identity.

    """

    mission_id: str
    """ A ULID: 48-bit millisecond time and 80 random bits in upper-case Crockford base32 (26 characters). """

    def to_dict(self) -> dict[str, Any]:
        mission_id = self.mission_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mission_id": mission_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mission_id = d.pop("mission_id")

        origin_refresh_request = cls(
            mission_id=mission_id,
        )

        return origin_refresh_request
