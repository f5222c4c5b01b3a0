# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

WorkPackageLane = Literal[
    "approved",
    "blocked",
    "canceled",
    "claimed",
    "doing",
    "done",
    "for_review",
    "in_progress",
    "in_review",
    "planned",
]

WORK_PACKAGE_LANE_VALUES: set[WorkPackageLane] = {
    "approved",
    "blocked",
    "canceled",
    "claimed",
    "doing",
    "done",
    "for_review",
    "in_progress",
    "in_review",
    "planned",
}


def check_work_package_lane(value: str) -> WorkPackageLane:
    if value in WORK_PACKAGE_LANE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {WORK_PACKAGE_LANE_VALUES!r}")
