# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

OperationStatus = Literal["completed", "failed", "pending", "running"]

OPERATION_STATUS_VALUES: set[OperationStatus] = {
    "completed",
    "failed",
    "pending",
    "running",
}


def check_operation_status(value: str) -> OperationStatus:
    if value in OPERATION_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {OPERATION_STATUS_VALUES!r}")
