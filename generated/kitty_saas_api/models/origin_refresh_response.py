# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.origin_refresh_response_refreshed_field import (
    OriginRefreshResponseRefreshedField,
    check_origin_refresh_response_refreshed_field,
)

if TYPE_CHECKING:
    from ..models.origin_link import OriginLink


T = TypeVar("T", bound="OriginRefreshResponse")


@_attrs_define
class OriginRefreshResponse:
    """The origin link as the tracker sees the ticket now, and which of its fields changed (none: the link was current)."""

    link: OriginLink
    """ A mission's stored origin link in the acting team: the ticket's canonical key, URL, title and status as the
    tracker reported them at bind time. """
    changed: list[OriginRefreshResponseRefreshedField]
    refreshed_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        link = self.link.to_dict()

        changed = []
        for changed_item_data in self.changed:
            changed_item: str = changed_item_data
            changed.append(changed_item)

        refreshed_at = self.refreshed_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "link": link,
                "changed": changed,
                "refreshed_at": refreshed_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.origin_link import OriginLink

        d = dict(src_dict)
        link = OriginLink.from_dict(d.pop("link"))

        changed = []
        _changed = d.pop("changed")
        for changed_item_data in _changed:
            changed_item = check_origin_refresh_response_refreshed_field(changed_item_data)

            changed.append(changed_item)

        refreshed_at = datetime.datetime.fromisoformat(d.pop("refreshed_at"))

        origin_refresh_response = cls(
            link=link,
            changed=changed,
            refreshed_at=refreshed_at,
        )

        return origin_refresh_response
