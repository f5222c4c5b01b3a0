# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.origin_status_sync_response_status_sync_outcome import (
    OriginStatusSyncResponseStatusSyncOutcome,
    check_origin_status_sync_response_status_sync_outcome,
)
from ..models.status_category import StatusCategory, check_status_category

T = TypeVar("T", bound="OriginStatusSyncResponse")


@_attrs_define
class OriginStatusSyncResponse:
    """The origin ticket's canonical status after the write, as the tracker answered it. `outcome` is `updated` when the
    ticket moved, `unchanged` when it already had the requested status category (nothing was written).

    """

    mission_id: str
    """ A ULID: 48-bit millisecond time and 80 random bits in upper-case Crockford base32 (26 characters). """
    outcome: OriginStatusSyncResponseStatusSyncOutcome
    requested_status_category: StatusCategory
    """ Provider status normalized across trackers (Jira statusCategory, Linear state.type, GitHub state +
    state_reason). The provider's own status name stays in `status`. """
    external_issue_id: str
    external_issue_key: str
    external_status: str
    """ The ticket's status name in the tracker after the write. """
    external_status_category: StatusCategory
    """ Provider status normalized across trackers (Jira statusCategory, Linear state.type, GitHub state +
    state_reason). The provider's own status name stays in `status`. """
    synced_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        mission_id = self.mission_id

        outcome: str = self.outcome

        requested_status_category: str = self.requested_status_category

        external_issue_id = self.external_issue_id

        external_issue_key = self.external_issue_key

        external_status = self.external_status

        external_status_category: str = self.external_status_category

        synced_at = self.synced_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mission_id": mission_id,
                "outcome": outcome,
                "requested_status_category": requested_status_category,
                "external_issue_id": external_issue_id,
                "external_issue_key": external_issue_key,
                "external_status": external_status,
                "external_status_category": external_status_category,
                "synced_at": synced_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mission_id = d.pop("mission_id")

        outcome = check_origin_status_sync_response_status_sync_outcome(d.pop("outcome"))

        requested_status_category = check_status_category(d.pop("requested_status_category"))

        external_issue_id = d.pop("external_issue_id")

        external_issue_key = d.pop("external_issue_key")

        external_status = d.pop("external_status")

        external_status_category = check_status_category(d.pop("external_status_category"))

        synced_at = datetime.datetime.fromisoformat(d.pop("synced_at"))

        origin_status_sync_response = cls(
            mission_id=mission_id,
            outcome=outcome,
            requested_status_category=requested_status_category,
            external_issue_id=external_issue_id,
            external_issue_key=external_issue_key,
            external_status=external_status,
            external_status_category=external_status_category,
            synced_at=synced_at,
        )

        return origin_status_sync_response
