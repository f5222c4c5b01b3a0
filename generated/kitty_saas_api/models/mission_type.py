# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

MissionType = Literal["documentation", "research", "software-dev"]

MISSION_TYPE_VALUES: set[MissionType] = {
    "documentation",
    "research",
    "software-dev",
}


def check_mission_type(value: str) -> MissionType:
    if value in MISSION_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MISSION_TYPE_VALUES!r}")
