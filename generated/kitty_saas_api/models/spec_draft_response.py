# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.provider import Provider, check_provider
from ..models.resource_type import ResourceType, check_resource_type
from ..models.status_category import StatusCategory, check_status_category

T = TypeVar("T", bound="SpecDraftResponse")


@_attrs_define
class SpecDraftResponse:
    """A mission's first `spec.md`, rendered from the tracker's current view of the ticket, with the canonical ticket
    values it was rendered from.

    """

    provider: Provider
    """ A task tracker the SaaS mediates. Jira and Linear are the v1 origin providers; GitHub Issues is a connector
    of equal rank that clients enable explicitly. """
    resource_type: ResourceType
    """ The kind of provider container a Spec Kitty project is mapped to. `x-provider` names the one tracker each
    kind belongs to: a mission's origin of that tracker lives in a container of that kind. """
    resource_id: str
    external_issue_id: str
    external_issue_key: str
    external_issue_url: str
    external_title: str
    external_status: str
    """ The ticket's status in the tracker (the tracker's own name). """
    external_status_category: StatusCategory
    """ Provider status normalized across trackers (Jira statusCategory, Linear state.type, GitHub state +
    state_reason). The provider's own status name stays in `status`. """
    spec_markdown: str
    """ The draft: a `# <title>` heading, an origin line linking the ticket, and the ticket's description as
    markdown. """

    def to_dict(self) -> dict[str, Any]:
        provider: str = self.provider

        resource_type: str = self.resource_type

        resource_id = self.resource_id

        external_issue_id = self.external_issue_id

        external_issue_key = self.external_issue_key

        external_issue_url = self.external_issue_url

        external_title = self.external_title

        external_status = self.external_status

        external_status_category: str = self.external_status_category

        spec_markdown = self.spec_markdown

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "provider": provider,
                "resource_type": resource_type,
                "resource_id": resource_id,
                "external_issue_id": external_issue_id,
                "external_issue_key": external_issue_key,
                "external_issue_url": external_issue_url,
                "external_title": external_title,
                "external_status": external_status,
                "external_status_category": external_status_category,
                "spec_markdown": spec_markdown,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        provider = check_provider(d.pop("provider"))

        resource_type = check_resource_type(d.pop("resource_type"))

        resource_id = d.pop("resource_id")

        external_issue_id = d.pop("external_issue_id")

        external_issue_key = d.pop("external_issue_key")

        external_issue_url = d.pop("external_issue_url")

        external_title = d.pop("external_title")

        external_status = d.pop("external_status")

        external_status_category = check_status_category(d.pop("external_status_category"))

        spec_markdown = d.pop("spec_markdown")

        spec_draft_response = cls(
            provider=provider,
            resource_type=resource_type,
            resource_id=resource_id,
            external_issue_id=external_issue_id,
            external_issue_key=external_issue_key,
            external_issue_url=external_issue_url,
            external_title=external_title,
            external_status=external_status,
            external_status_category=external_status_category,
            spec_markdown=spec_markdown,
        )

        return spec_draft_response
