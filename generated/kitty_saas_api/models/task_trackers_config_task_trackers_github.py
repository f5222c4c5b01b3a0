# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskTrackersConfigTaskTrackersGithub")


@_attrs_define
class TaskTrackersConfigTaskTrackersGithub:
    enabled: bool
    token: str
    """ A credential given only as a reference to an environment variable of the SaaS-side process (`env:NAME`). """
    api_url: str | Unset = UNSET
    web_url: str | Unset = UNSET
    timeout_seconds: float | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        token = self.token

        api_url = self.api_url

        web_url = self.web_url

        timeout_seconds = self.timeout_seconds

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "enabled": enabled,
                "token": token,
            }
        )
        if api_url is not UNSET:
            field_dict["api_url"] = api_url
        if web_url is not UNSET:
            field_dict["web_url"] = web_url
        if timeout_seconds is not UNSET:
            field_dict["timeout_seconds"] = timeout_seconds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled")

        token = d.pop("token")

        api_url = d.pop("api_url", UNSET)

        web_url = d.pop("web_url", UNSET)

        timeout_seconds = d.pop("timeout_seconds", UNSET)

        task_trackers_config_task_trackers_github = cls(
            enabled=enabled,
            token=token,
            api_url=api_url,
            web_url=web_url,
            timeout_seconds=timeout_seconds,
        )

        return task_trackers_config_task_trackers_github
