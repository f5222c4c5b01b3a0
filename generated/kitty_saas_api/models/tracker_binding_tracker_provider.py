# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

TrackerBindingTrackerProvider = Literal["beads", "fp", "github", "gitlab", "jira", "linear"]

TRACKER_BINDING_TRACKER_PROVIDER_VALUES: set[TrackerBindingTrackerProvider] = {
    "beads",
    "fp",
    "github",
    "gitlab",
    "jira",
    "linear",
}


def check_tracker_binding_tracker_provider(value: str) -> TrackerBindingTrackerProvider:
    if value in TRACKER_BINDING_TRACKER_PROVIDER_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {TRACKER_BINDING_TRACKER_PROVIDER_VALUES!r}"
    )
