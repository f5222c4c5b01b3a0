# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskTrackersConfigTaskTrackersJira")


@_attrs_define
class TaskTrackersConfigTaskTrackersJira:
    enabled: bool
    server_url: str
    credentials: str
    """ A credential given only as a reference to an environment variable of the SaaS-side process (`env:NAME`). """
    email: str | Unset = UNSET
    timeout_seconds: float | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        server_url = self.server_url

        credentials = self.credentials

        email = self.email

        timeout_seconds = self.timeout_seconds

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "enabled": enabled,
                "server_url": server_url,
                "credentials": credentials,
            }
        )
        if email is not UNSET:
            field_dict["email"] = email
        if timeout_seconds is not UNSET:
            field_dict["timeout_seconds"] = timeout_seconds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled")

        server_url = d.pop("server_url")

        credentials = d.pop("credentials")

        email = d.pop("email", UNSET)

        timeout_seconds = d.pop("timeout_seconds", UNSET)

        task_trackers_config_task_trackers_jira = cls(
            enabled=enabled,
            server_url=server_url,
            credentials=credentials,
            email=email,
            timeout_seconds=timeout_seconds,
        )

        return task_trackers_config_task_trackers_jira
