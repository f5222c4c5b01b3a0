# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

OriginUnbindResponseUnbindOutcome = Literal["not_bound", "removed"]

ORIGIN_UNBIND_RESPONSE_UNBIND_OUTCOME_VALUES: set[OriginUnbindResponseUnbindOutcome] = {
    "not_bound",
    "removed",
}


def check_origin_unbind_response_unbind_outcome(value: str) -> OriginUnbindResponseUnbindOutcome:
    if value in ORIGIN_UNBIND_RESPONSE_UNBIND_OUTCOME_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ORIGIN_UNBIND_RESPONSE_UNBIND_OUTCOME_VALUES!r}"
    )
