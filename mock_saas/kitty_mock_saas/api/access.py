"""Who may reach which tracker: the team's origin provider policy, the resource mapping of the
project, and the acting user's linked identity. Search and bind ask the same three questions, in
this order, before any tracker is contacted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kitty_contracts import ErrorCode

from kitty_mock_saas.api import origin_answers
from kitty_mock_saas.connectors import TrackerIssue
from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.runtime import MockRuntime
from kitty_mock_saas.state import directory, origins
from kitty_mock_saas.state.directory import ResourceMapping, Team

NAMES = {"jira": "Jira", "linear": "Linear", "github": "GitHub"}
# What a resource mapping points at, per provider (the wording of the contract's examples).
_CONTAINER_NOUNS = {"jira": "Jira project", "linear": "Linear team", "github": "GitHub repository"}


def ensure_origin_provider(runtime: MockRuntime, team: Team, provider: str) -> None:
    """Raises ApiError unsupported_provider when the team's policy does not allow `provider`."""
    allowed = directory.origin_providers(runtime.db, team.id)
    if provider in allowed:
        return
    names = ", ".join(allowed)
    raise ApiError(
        ErrorCode.unsupported_provider,
        f"{NAMES.get(provider, provider)} is not an origin provider of team {team.slug}; its "
        f"policy allows {names}. An owner can enable "
        f"{NAMES.get(provider, provider)} in the Spec Kitty dashboard.",
        details=[("body.provider", f"one of {names}")],
    )


def resource_mapping(
    runtime: MockRuntime, team: Team, provider: str, body: Mapping[str, Any]
) -> ResourceMapping:
    """The team's mapping for the project the body names; 404 resource_mapping_not_found."""
    mapping = directory.find_mapping(
        runtime.db,
        team.id,
        provider,
        project_slug=body.get("project_slug"),
        binding_ref=body.get("binding_ref"),
    )
    if mapping is None:
        project = body.get("binding_ref") or body.get("project_slug")
        container = _CONTAINER_NOUNS.get(provider, "tracker container")
        raise ApiError(
            ErrorCode.resource_mapping_not_found,
            f"No resource mapping found for {provider} project {project!r}. "
            f"Map a {container} to this project in the Spec Kitty dashboard.",
            user_action_required=True,
        )
    return mapping


def linked_credential(runtime: MockRuntime, user_id: str, provider: str, *, then: str) -> str:
    """The provider token of the user's linked identity; 403 user_link_required without one."""
    token = directory.linked_token(runtime.db, user_id, provider)
    if token is None:
        raise ApiError(
            ErrorCode.user_link_required,
            f"Your Spec Kitty account has no linked {NAMES.get(provider, provider)} identity. "
            f"Link it in the Spec Kitty dashboard (Settings → Connected accounts), then {then}.",
            user_action_required=True,
        )
    return token


async def origin_as_seen_by(
    runtime: MockRuntime, team: Team, user_id: str, mission_id: str, *, then: str
) -> tuple[ResourceMapping, TrackerIssue]:
    """The mission's mapped container and its ticket as the user may see it now.

    Raises: ApiError origin_not_found, resource_mapping_not_found, user_link_required,
    ticket_not_found, ticket_out_of_scope, or the tracker failure's code.
    """
    link = origins.get(runtime.db, team.id, mission_id)
    if link is None:
        raise origin_answers.no_origin(mission_id)
    mapping = directory.mapping_of_resource(
        runtime.db, team.id, link.provider, link.resource_type, link.resource_id
    )
    if mapping is None:
        raise origin_answers.no_mapping_for(link)
    credential = linked_credential(runtime, user_id, link.provider, then=then)
    ticket = await runtime.trackers.resolve(
        mapping, credential, issue_id=link.external_issue_id, key_hint=link.external_issue_key
    )
    return mapping, ticket
