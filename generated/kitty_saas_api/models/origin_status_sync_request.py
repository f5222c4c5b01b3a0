# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.status_category import StatusCategory, check_status_category
from ..models.work_package_lane import WorkPackageLane, check_work_package_lane

T = TypeVar("T", bound="OriginStatusSyncRequest")


@_attrs_define
class OriginStatusSyncRequest:
    """Write a mission's status back to its origin ticket. `status` is a work package lane (`WorkPackageLane`, mapped
    through its `x-status-category`) or a `StatusCategory` itself.

    """

    mission_id: str
    """ A ULID: 48-bit millisecond time and 80 random bits in upper-case Crockford base32 (26 characters). """
    status: StatusCategory | WorkPackageLane

    def to_dict(self) -> dict[str, Any]:
        mission_id = self.mission_id

        status: str
        if isinstance(self.status, str):
            status = self.status
        else:
            status = self.status

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mission_id": mission_id,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mission_id = d.pop("mission_id")

        def _parse_status(data: object) -> StatusCategory | WorkPackageLane:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = check_work_package_lane(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            status_type_1 = check_status_category(data)

            return status_type_1

        status = _parse_status(d.pop("status"))

        origin_status_sync_request = cls(
            mission_id=mission_id,
            status=status,
        )

        return origin_status_sync_request
