# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_trackers_config_task_trackers_github import (
        TaskTrackersConfigTaskTrackersGithub,
    )
    from ..models.task_trackers_config_task_trackers_jira import TaskTrackersConfigTaskTrackersJira
    from ..models.task_trackers_config_task_trackers_linear import (
        TaskTrackersConfigTaskTrackersLinear,
    )


T = TypeVar("T", bound="TaskTrackersConfigTaskTrackers")


@_attrs_define
class TaskTrackersConfigTaskTrackers:
    jira: TaskTrackersConfigTaskTrackersJira | Unset = UNSET
    linear: TaskTrackersConfigTaskTrackersLinear | Unset = UNSET
    github: TaskTrackersConfigTaskTrackersGithub | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        jira: dict[str, Any] | Unset = UNSET
        if not isinstance(self.jira, Unset):
            jira = self.jira.to_dict()

        linear: dict[str, Any] | Unset = UNSET
        if not isinstance(self.linear, Unset):
            linear = self.linear.to_dict()

        github: dict[str, Any] | Unset = UNSET
        if not isinstance(self.github, Unset):
            github = self.github.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if jira is not UNSET:
            field_dict["jira"] = jira
        if linear is not UNSET:
            field_dict["linear"] = linear
        if github is not UNSET:
            field_dict["github"] = github

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_trackers_config_task_trackers_github import (
            TaskTrackersConfigTaskTrackersGithub,
        )
        from ..models.task_trackers_config_task_trackers_jira import (
            TaskTrackersConfigTaskTrackersJira,
        )
        from ..models.task_trackers_config_task_trackers_linear import (
            TaskTrackersConfigTaskTrackersLinear,
        )

        d = dict(src_dict)
        _jira = d.pop("jira", UNSET)
        jira: TaskTrackersConfigTaskTrackersJira | Unset
        if isinstance(_jira, Unset):
            jira = UNSET
        else:
            jira = TaskTrackersConfigTaskTrackersJira.from_dict(_jira)

        _linear = d.pop("linear", UNSET)
        linear: TaskTrackersConfigTaskTrackersLinear | Unset
        if isinstance(_linear, Unset):
            linear = UNSET
        else:
            linear = TaskTrackersConfigTaskTrackersLinear.from_dict(_linear)

        _github = d.pop("github", UNSET)
        github: TaskTrackersConfigTaskTrackersGithub | Unset
        if isinstance(_github, Unset):
            github = UNSET
        else:
            github = TaskTrackersConfigTaskTrackersGithub.from_dict(_github)

        task_trackers_config_task_trackers = cls(
            jira=jira,
            linear=linear,
            github=github,
        )

        return task_trackers_config_task_trackers
