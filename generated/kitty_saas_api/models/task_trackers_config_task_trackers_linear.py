# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskTrackersConfigTaskTrackersLinear")


@_attrs_define
class TaskTrackersConfigTaskTrackersLinear:
    enabled: bool
    api_key: str
    """ A credential given only as a reference to an environment variable of the SaaS-side process (`env:NAME`). """
    api_url: str | Unset = UNSET
    timeout_seconds: float | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        api_key = self.api_key

        api_url = self.api_url

        timeout_seconds = self.timeout_seconds

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "enabled": enabled,
                "api_key": api_key,
            }
        )
        if api_url is not UNSET:
            field_dict["api_url"] = api_url
        if timeout_seconds is not UNSET:
            field_dict["timeout_seconds"] = timeout_seconds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled")

        api_key = d.pop("api_key")

        api_url = d.pop("api_url", UNSET)

        timeout_seconds = d.pop("timeout_seconds", UNSET)

        task_trackers_config_task_trackers_linear = cls(
            enabled=enabled,
            api_key=api_key,
            api_url=api_url,
            timeout_seconds=timeout_seconds,
        )

        return task_trackers_config_task_trackers_linear
