# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

OriginStatusSyncResponseStatusSyncOutcome = Literal["unchanged", "updated"]

ORIGIN_STATUS_SYNC_RESPONSE_STATUS_SYNC_OUTCOME_VALUES: set[
    OriginStatusSyncResponseStatusSyncOutcome
] = {
    "unchanged",
    "updated",
}


def check_origin_status_sync_response_status_sync_outcome(
    value: str,
) -> OriginStatusSyncResponseStatusSyncOutcome:
    if value in ORIGIN_STATUS_SYNC_RESPONSE_STATUS_SYNC_OUTCOME_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ORIGIN_STATUS_SYNC_RESPONSE_STATUS_SYNC_OUTCOME_VALUES!r}"
    )
