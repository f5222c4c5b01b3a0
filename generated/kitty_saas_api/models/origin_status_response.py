# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.status_category import StatusCategory, check_status_category
from ..models.work_package_lane import WorkPackageLane, check_work_package_lane

T = TypeVar("T", bound="OriginStatusResponse")


@_attrs_define
class OriginStatusResponse:
    """The origin ticket's current status as the tracker answers it now, the work package lane it suggests, and the status
    categories the SaaS can write to this tracker (`syncMissionOriginStatus` refuses the others with 422).

    """

    mission_id: str
    """ A ULID: 48-bit millisecond time and 80 random bits in upper-case Crockford base32 (26 characters). """
    external_issue_id: str
    external_issue_key: str
    external_status: str
    external_status_category: StatusCategory
    """ Provider status normalized across trackers (Jira statusCategory, Linear state.type, GitHub state +
    state_reason). The provider's own status name stays in `status`. """
    suggested_wp_status: WorkPackageLane
    """ A work package's lane in spec-kitty 3.x (`specify_cli.status_lanes.CANONICAL_LANES`, plus the accepted alias
    `doing` for `in_progress`; the non-display lanes `genesis` and `uninitialized` are never a work package's
    status). `x-status-category` is the one table of which `StatusCategory` a tracker ticket takes for each lane;
    the lane suggested for a ticket's category is the lane of the same name, else the first lane of `enum` that maps
    to it (`todo` → `planned`). """
    writable_status_categories: list[StatusCategory]
    read_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        mission_id = self.mission_id

        external_issue_id = self.external_issue_id

        external_issue_key = self.external_issue_key

        external_status = self.external_status

        external_status_category: str = self.external_status_category

        suggested_wp_status: str = self.suggested_wp_status

        writable_status_categories = []
        for writable_status_categories_item_data in self.writable_status_categories:
            writable_status_categories_item: str = writable_status_categories_item_data
            writable_status_categories.append(writable_status_categories_item)

        read_at = self.read_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mission_id": mission_id,
                "external_issue_id": external_issue_id,
                "external_issue_key": external_issue_key,
                "external_status": external_status,
                "external_status_category": external_status_category,
                "suggested_wp_status": suggested_wp_status,
                "writable_status_categories": writable_status_categories,
                "read_at": read_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mission_id = d.pop("mission_id")

        external_issue_id = d.pop("external_issue_id")

        external_issue_key = d.pop("external_issue_key")

        external_status = d.pop("external_status")

        external_status_category = check_status_category(d.pop("external_status_category"))

        suggested_wp_status = check_work_package_lane(d.pop("suggested_wp_status"))

        writable_status_categories = []
        _writable_status_categories = d.pop("writable_status_categories")
        for writable_status_categories_item_data in _writable_status_categories:
            writable_status_categories_item = check_status_category(
                writable_status_categories_item_data
            )

            writable_status_categories.append(writable_status_categories_item)

        read_at = datetime.datetime.fromisoformat(d.pop("read_at"))

        origin_status_response = cls(
            mission_id=mission_id,
            external_issue_id=external_issue_id,
            external_issue_key=external_issue_key,
            external_status=external_status,
            external_status_category=external_status_category,
            suggested_wp_status=suggested_wp_status,
            writable_status_categories=writable_status_categories,
            read_at=read_at,
        )

        return origin_status_response
