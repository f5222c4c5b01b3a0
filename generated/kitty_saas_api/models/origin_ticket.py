# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.provider import Provider, check_provider
from ..models.resource_type import ResourceType, check_resource_type

T = TypeVar("T", bound="OriginTicket")


@_attrs_define
class OriginTicket:
    """The `origin_ticket` block of a mission's meta.json: stable external identifiers and routing context only (no SaaS
    primary keys), readable offline.

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
    title: str

    def to_dict(self) -> dict[str, Any]:
        provider: str = self.provider

        resource_type: str = self.resource_type

        resource_id = self.resource_id

        external_issue_id = self.external_issue_id

        external_issue_key = self.external_issue_key

        external_issue_url = self.external_issue_url

        title = self.title

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "provider": provider,
                "resource_type": resource_type,
                "resource_id": resource_id,
                "external_issue_id": external_issue_id,
                "external_issue_key": external_issue_key,
                "external_issue_url": external_issue_url,
                "title": title,
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

        title = d.pop("title")

        origin_ticket = cls(
            provider=provider,
            resource_type=resource_type,
            resource_id=resource_id,
            external_issue_id=external_issue_id,
            external_issue_key=external_issue_key,
            external_issue_url=external_issue_url,
            title=title,
        )

        return origin_ticket
