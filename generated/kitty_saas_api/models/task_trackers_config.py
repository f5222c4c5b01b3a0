# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.task_trackers_config_task_trackers import TaskTrackersConfigTaskTrackers


T = TypeVar("T", bound="TaskTrackersConfig")


@_attrs_define
class TaskTrackersConfig:
    """`config/task_trackers.yaml`: connector settings for every tracker, all of equal rank. Credentials are `env:NAME`
    references only, resolved in the SaaS-side process and never logged.

    """

    task_trackers: TaskTrackersConfigTaskTrackers

    def to_dict(self) -> dict[str, Any]:
        task_trackers = self.task_trackers.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "task_trackers": task_trackers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_trackers_config_task_trackers import TaskTrackersConfigTaskTrackers

        d = dict(src_dict)
        task_trackers = TaskTrackersConfigTaskTrackers.from_dict(d.pop("task_trackers"))

        task_trackers_config = cls(
            task_trackers=task_trackers,
        )

        return task_trackers_config
