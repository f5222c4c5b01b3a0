# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

CurrentUserTeamMembershipRole = Literal["admin", "member", "owner"]

CURRENT_USER_TEAM_MEMBERSHIP_ROLE_VALUES: set[CurrentUserTeamMembershipRole] = {
    "admin",
    "member",
    "owner",
}


def check_current_user_team_membership_role(value: str) -> CurrentUserTeamMembershipRole:
    if value in CURRENT_USER_TEAM_MEMBERSHIP_ROLE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CURRENT_USER_TEAM_MEMBERSHIP_ROLE_VALUES!r}"
    )
