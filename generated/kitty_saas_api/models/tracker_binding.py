# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tracker_binding_egress_policy import (
    TrackerBindingEgressPolicy,
    check_tracker_binding_egress_policy,
)
from ..models.tracker_binding_tracker_provider import (
    TrackerBindingTrackerProvider,
    check_tracker_binding_tracker_provider,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tracker_binding_provider_context_type_0 import TrackerBindingProviderContextType0


T = TypeVar("T", bound="TrackerBinding")


@_attrs_define
class TrackerBinding:
    """The `tracker:` block of `.kittify/config.yaml`. Search needs `provider` and `project_slug`; bind prefers
    `binding_ref`. Unknown keys are kept.

    """

    provider: TrackerBindingTrackerProvider
    project_slug: str | Unset | None = UNSET
    binding_ref: str | Unset | None = UNSET
    display_label: str | Unset | None = UNSET
    provider_context: TrackerBindingProviderContextType0 | Unset | None = UNSET
    workspace: str | Unset | None = UNSET
    egress: TrackerBindingEgressPolicy | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.tracker_binding_provider_context_type_0 import (
            TrackerBindingProviderContextType0,
        )

        provider: str = self.provider

        project_slug: str | Unset | None
        if isinstance(self.project_slug, Unset):
            project_slug = UNSET
        else:
            project_slug = self.project_slug

        binding_ref: str | Unset | None
        if isinstance(self.binding_ref, Unset):
            binding_ref = UNSET
        else:
            binding_ref = self.binding_ref

        display_label: str | Unset | None
        if isinstance(self.display_label, Unset):
            display_label = UNSET
        else:
            display_label = self.display_label

        provider_context: dict[str, Any] | Unset | None
        if isinstance(self.provider_context, Unset):
            provider_context = UNSET
        elif isinstance(self.provider_context, TrackerBindingProviderContextType0):
            provider_context = self.provider_context.to_dict()
        else:
            provider_context = self.provider_context

        workspace: str | Unset | None
        if isinstance(self.workspace, Unset):
            workspace = UNSET
        else:
            workspace = self.workspace

        egress: str | Unset | None
        if isinstance(self.egress, Unset):
            egress = UNSET
        elif isinstance(self.egress, str):
            egress = self.egress
        else:
            egress = self.egress

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
            }
        )
        if project_slug is not UNSET:
            field_dict["project_slug"] = project_slug
        if binding_ref is not UNSET:
            field_dict["binding_ref"] = binding_ref
        if display_label is not UNSET:
            field_dict["display_label"] = display_label
        if provider_context is not UNSET:
            field_dict["provider_context"] = provider_context
        if workspace is not UNSET:
            field_dict["workspace"] = workspace
        if egress is not UNSET:
            field_dict["egress"] = egress

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tracker_binding_provider_context_type_0 import (
            TrackerBindingProviderContextType0,
        )

        d = dict(src_dict)
        provider = check_tracker_binding_tracker_provider(d.pop("provider"))

        def _parse_project_slug(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_slug = _parse_project_slug(d.pop("project_slug", UNSET))

        def _parse_binding_ref(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        binding_ref = _parse_binding_ref(d.pop("binding_ref", UNSET))

        def _parse_display_label(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display_label = _parse_display_label(d.pop("display_label", UNSET))

        def _parse_provider_context(
            data: object,
        ) -> TrackerBindingProviderContextType0 | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                provider_context_type_0 = TrackerBindingProviderContextType0.from_dict(data)

                return provider_context_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrackerBindingProviderContextType0 | Unset, data)

        provider_context = _parse_provider_context(d.pop("provider_context", UNSET))

        def _parse_workspace(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        workspace = _parse_workspace(d.pop("workspace", UNSET))

        def _parse_egress(data: object) -> TrackerBindingEgressPolicy | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                egress_egress_policy = check_tracker_binding_egress_policy(data)

                return egress_egress_policy
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrackerBindingEgressPolicy | Unset, data)

        egress = _parse_egress(d.pop("egress", UNSET))

        tracker_binding = cls(
            provider=provider,
            project_slug=project_slug,
            binding_ref=binding_ref,
            display_label=display_label,
            provider_context=provider_context,
            workspace=workspace,
            egress=egress,
        )

        tracker_binding.additional_properties = d
        return tracker_binding

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
