# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

OriginBindResponseBindOutcome = Literal["created", "existing"]

ORIGIN_BIND_RESPONSE_BIND_OUTCOME_VALUES: set[OriginBindResponseBindOutcome] = {
    "created",
    "existing",
}


def check_origin_bind_response_bind_outcome(value: str) -> OriginBindResponseBindOutcome:
    if value in ORIGIN_BIND_RESPONSE_BIND_OUTCOME_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ORIGIN_BIND_RESPONSE_BIND_OUTCOME_VALUES!r}"
    )
