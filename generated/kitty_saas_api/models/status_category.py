# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

StatusCategory = Literal["canceled", "done", "in_progress", "todo"]

STATUS_CATEGORY_VALUES: set[StatusCategory] = {
    "canceled",
    "done",
    "in_progress",
    "todo",
}


def check_status_category(value: str) -> StatusCategory:
    if value in STATUS_CATEGORY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {STATUS_CATEGORY_VALUES!r}")
