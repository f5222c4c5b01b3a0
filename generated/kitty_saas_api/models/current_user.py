# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.current_user_team_membership import CurrentUserTeamMembership


T = TypeVar("T", bound="CurrentUser")


@_attrs_define
class CurrentUser:
    """The acting user and their teams, as `spec-kitty auth login` stores them. `user_id` equals `email` (upstream
    admission compares them).

    """

    user_id: str
    email: str
    name: str
    teams: list[CurrentUserTeamMembership]

    def to_dict(self) -> dict[str, Any]:
        user_id = self.user_id

        email = self.email

        name = self.name

        teams = []
        for teams_item_data in self.teams:
            teams_item = teams_item_data.to_dict()
            teams.append(teams_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "user_id": user_id,
                "email": email,
                "name": name,
                "teams": teams,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.current_user_team_membership import CurrentUserTeamMembership

        d = dict(src_dict)
        user_id = d.pop("user_id")

        email = d.pop("email")

        name = d.pop("name")

        teams = []
        _teams = d.pop("teams")
        for teams_item_data in _teams:
            teams_item = CurrentUserTeamMembership.from_dict(teams_item_data)

            teams.append(teams_item)

        current_user = cls(
            user_id=user_id,
            email=email,
            name=name,
            teams=teams,
        )

        return current_user
