# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.origin_unbind_response_unbind_outcome import (
    OriginUnbindResponseUnbindOutcome,
    check_origin_unbind_response_unbind_outcome,
)

if TYPE_CHECKING:
    from ..models.origin_link import OriginLink


T = TypeVar("T", bound="OriginUnbindResponse")


@_attrs_define
class OriginUnbindResponse:
    """What an unbind removed: `removed` with the link as it was, or `not_bound` (nothing to remove, `removed_link` null)."""

    mission_id: str
    """ A ULID: 48-bit millisecond time and 80 random bits in upper-case Crockford base32 (26 characters). """
    outcome: OriginUnbindResponseUnbindOutcome
    removed_link: OriginLink | None
    unbound_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        from ..models.origin_link import OriginLink

        mission_id = self.mission_id

        outcome: str = self.outcome

        removed_link: dict[str, Any] | None
        if isinstance(self.removed_link, OriginLink):
            removed_link = self.removed_link.to_dict()
        else:
            removed_link = self.removed_link

        unbound_at = self.unbound_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mission_id": mission_id,
                "outcome": outcome,
                "removed_link": removed_link,
                "unbound_at": unbound_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.origin_link import OriginLink

        d = dict(src_dict)
        mission_id = d.pop("mission_id")

        outcome = check_origin_unbind_response_unbind_outcome(d.pop("outcome"))

        def _parse_removed_link(data: object) -> OriginLink | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                removed_link_type_0 = OriginLink.from_dict(data)

                return removed_link_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OriginLink, data)

        removed_link = _parse_removed_link(d.pop("removed_link"))

        unbound_at = datetime.datetime.fromisoformat(d.pop("unbound_at"))

        origin_unbind_response = cls(
            mission_id=mission_id,
            outcome=outcome,
            removed_link=removed_link,
            unbound_at=unbound_at,
        )

        return origin_unbind_response
