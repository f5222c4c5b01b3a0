# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

EventResultEventResultStatus = Literal["accepted", "duplicate", "rejected"]

EVENT_RESULT_EVENT_RESULT_STATUS_VALUES: set[EventResultEventResultStatus] = {
    "accepted",
    "duplicate",
    "rejected",
}


def check_event_result_event_result_status(value: str) -> EventResultEventResultStatus:
    if value in EVENT_RESULT_EVENT_RESULT_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {EVENT_RESULT_EVENT_RESULT_STATUS_VALUES!r}"
    )
