# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.kittify_config_project_type_0 import KittifyConfigProjectType0
    from ..models.tracker_binding import TrackerBinding


T = TypeVar("T", bound="KittifyConfig")


@_attrs_define
class KittifyConfig:
    """`.kittify/config.yaml` of a repo, as far as this kit reads it."""

    tracker: TrackerBinding | Unset | None = UNSET
    project: KittifyConfigProjectType0 | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.kittify_config_project_type_0 import KittifyConfigProjectType0
        from ..models.tracker_binding import TrackerBinding

        tracker: dict[str, Any] | Unset | None
        if isinstance(self.tracker, Unset):
            tracker = UNSET
        elif isinstance(self.tracker, TrackerBinding):
            tracker = self.tracker.to_dict()
        else:
            tracker = self.tracker

        project: dict[str, Any] | Unset | None
        if isinstance(self.project, Unset):
            project = UNSET
        elif isinstance(self.project, KittifyConfigProjectType0):
            project = self.project.to_dict()
        else:
            project = self.project

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if tracker is not UNSET:
            field_dict["tracker"] = tracker
        if project is not UNSET:
            field_dict["project"] = project

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.kittify_config_project_type_0 import KittifyConfigProjectType0
        from ..models.tracker_binding import TrackerBinding

        d = dict(src_dict)

        def _parse_tracker(data: object) -> TrackerBinding | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tracker_type_0 = TrackerBinding.from_dict(data)

                return tracker_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrackerBinding | Unset, data)

        tracker = _parse_tracker(d.pop("tracker", UNSET))

        def _parse_project(data: object) -> KittifyConfigProjectType0 | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                project_type_0 = KittifyConfigProjectType0.from_dict(data)

                return project_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KittifyConfigProjectType0 | None | Unset, data)

        project = _parse_project(d.pop("project", UNSET))

        kittify_config = cls(
            tracker=tracker,
            project=project,
        )

        kittify_config.additional_properties = d
        return kittify_config

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
