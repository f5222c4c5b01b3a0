# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

ErrorCategory = Literal[
    "authentication",
    "authorization",
    "availability",
    "conflict",
    "internal",
    "project_not_admitted",
    "protocol",
    "rate_limit",
    "request",
    "routing",
    "user_action",
    "validation",
]

ERROR_CATEGORY_VALUES: set[ErrorCategory] = {
    "authentication",
    "authorization",
    "availability",
    "conflict",
    "internal",
    "project_not_admitted",
    "protocol",
    "rate_limit",
    "request",
    "routing",
    "user_action",
    "validation",
}


def check_error_category(value: str) -> ErrorCategory:
    if value in ERROR_CATEGORY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ERROR_CATEGORY_VALUES!r}")
