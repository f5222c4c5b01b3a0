# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ErrorDetail")


@_attrs_define
class ErrorDetail:
    """One validation problem: where and what."""

    field: str
    """ JSON-pointer-like location (`body.query_key`, `header.Idempotency-Key`). """
    issue: str

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        issue = self.issue

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "field": field,
                "issue": issue,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        field = d.pop("field")

        issue = d.pop("issue")

        error_detail = cls(
            field=field,
            issue=issue,
        )

        return error_detail
