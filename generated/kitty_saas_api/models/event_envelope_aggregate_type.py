# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

EventEnvelopeAggregateType = Literal["Build", "Mission", "MissionDossier", "WorkPackage"]

EVENT_ENVELOPE_AGGREGATE_TYPE_VALUES: set[EventEnvelopeAggregateType] = {
    "Build",
    "Mission",
    "MissionDossier",
    "WorkPackage",
}


def check_event_envelope_aggregate_type(value: str) -> EventEnvelopeAggregateType:
    if value in EVENT_ENVELOPE_AGGREGATE_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {EVENT_ENVELOPE_AGGREGATE_TYPE_VALUES!r}"
    )
