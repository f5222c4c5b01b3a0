# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.error_category import ErrorCategory, check_error_category
from ..models.event_result_event_result_status import (
    EventResultEventResultStatus,
    check_event_result_event_result_status,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="EventResult")


@_attrs_define
class EventResult:
    event_id: str
    """ The event's id, or `index:<n>` when the item had no usable id. """
    status: EventResultEventResultStatus
    error: str | Unset | None = UNSET
    error_category: ErrorCategory | Unset | None = UNSET

    def to_dict(self) -> dict[str, Any]:
        event_id = self.event_id

        status: str = self.status

        error: str | Unset | None
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        error_category: str | Unset | None
        if isinstance(self.error_category, Unset):
            error_category = UNSET
        elif isinstance(self.error_category, str):
            error_category = self.error_category
        else:
            error_category = self.error_category

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "event_id": event_id,
                "status": status,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if error_category is not UNSET:
            field_dict["error_category"] = error_category

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = d.pop("event_id")

        status = check_event_result_event_result_status(d.pop("status"))

        def _parse_error(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_error_category(data: object) -> ErrorCategory | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                error_category_type_0 = check_error_category(data)

                return error_category_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ErrorCategory | None | Unset, data)

        error_category = _parse_error_category(d.pop("error_category", UNSET))

        event_result = cls(
            event_id=event_id,
            status=status,
            error=error,
            error_category=error_category,
        )

        return event_result
