# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.current_user_team_membership_role import (
    CurrentUserTeamMembershipRole,
    check_current_user_team_membership_role,
)

T = TypeVar("T", bound="CurrentUserTeamMembership")


@_attrs_define
class CurrentUserTeamMembership:
    id: str
    name: str
    role: CurrentUserTeamMembershipRole
    is_private_teamspace: bool
    slug: str

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        role: str = self.role

        is_private_teamspace = self.is_private_teamspace

        slug = self.slug

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "role": role,
                "is_private_teamspace": is_private_teamspace,
                "slug": slug,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        role = check_current_user_team_membership_role(d.pop("role"))

        is_private_teamspace = d.pop("is_private_teamspace")

        slug = d.pop("slug")

        current_user_team_membership = cls(
            id=id,
            name=name,
            role=role,
            is_private_teamspace=is_private_teamspace,
            slug=slug,
        )

        return current_user_team_membership
