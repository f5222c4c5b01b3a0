# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

TrackerBindingEgressPolicy = Literal["permitted", "refused"]

TRACKER_BINDING_EGRESS_POLICY_VALUES: set[TrackerBindingEgressPolicy] = {
    "permitted",
    "refused",
}


def check_tracker_binding_egress_policy(value: str) -> TrackerBindingEgressPolicy:
    if value in TRACKER_BINDING_EGRESS_POLICY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {TRACKER_BINDING_EGRESS_POLICY_VALUES!r}"
    )
