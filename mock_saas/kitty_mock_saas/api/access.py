"""The one access step of every origin operation: who may reach which tracker, and which ticket.

Each operation asks the same questions, in this order, before it reads or changes anything:
the provider is allowed (the team's origin provider policy, narrowed by the providers the client
allows in `X-Kitty-Origin-Providers`), the project (or the link's container) is mapped, the acting
user holds a linked identity for the provider, and that identity can see the ticket now.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from kitty_contracts import ErrorCode

from kitty_mock_saas.api import origin_answers
from kitty_mock_saas.api.deps import RuntimeDep, TeamDep, UserDep
from kitty_mock_saas.connectors import TrackerIssue
from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.runtime import MockRuntime
from kitty_mock_saas.state import directory, origins
from kitty_mock_saas.state.directory import ResourceMapping, Team
from kitty_mock_saas.state.origins import OriginLink

NAMES = {"jira": "Jira", "linear": "Linear", "github": "GitHub"}
# What a resource mapping points at, per provider (the wording of the contract's examples).
_CONTAINER_NOUNS = {"jira": "Jira project", "linear": "Linear team", "github": "GitHub repository"}
CLIENT_PROVIDERS_HEADER = "x-kitty-origin-providers"


@dataclass(frozen=True)
class Actor:
    """Who acts, in which team, and which providers their client allows (None: no narrowing)."""

    runtime: MockRuntime
    team: Team
    user_id: str
    client_providers: frozenset[str] | None = None


def client_providers(request: Request) -> frozenset[str] | None:
    """The providers the client allows (`X-Kitty-Origin-Providers`; the stage checked its form)."""
    value = request.headers.get(CLIENT_PROVIDERS_HEADER)
    if value is None:
        return None
    return frozenset(part.strip() for part in value.split(",") if part.strip())


async def current_actor(
    request: Request, runtime: RuntimeDep, user: UserDep, team: TeamDep
) -> Actor:
    return Actor(runtime, team, user.id, client_providers(request))


ActorDep = Annotated[Actor, Depends(current_actor)]


def ensure_origin_provider(actor: Actor, provider: str) -> None:
    """Raises ApiError unsupported_provider when the team's policy (or the client) refuses it."""
    allowed = directory.origin_providers(actor.runtime.db, actor.team.id)
    name = NAMES.get(provider, provider)
    if provider not in allowed:
        names = ", ".join(allowed)
        raise ApiError(
            ErrorCode.unsupported_provider,
            f"{name} is not an origin provider of team {actor.team.slug}; its policy allows "
            f"{names}. An owner can enable {name} in the Spec Kitty dashboard.",
            details=[("body.provider", f"one of {names}")],
        )
    if actor.client_providers is not None and provider not in actor.client_providers:
        names = ", ".join(sorted(actor.client_providers)) or "none"
        raise ApiError(
            ErrorCode.unsupported_provider,
            f"Your client does not allow {name} as an origin provider (it allows {names}); "
            "enable it in the client's settings (SPEC_KITTY_ALLOW_GITHUB for GitHub).",
            details=[("header.X-Kitty-Origin-Providers", f"does not name {provider}")],
        )


def resource_mapping(actor: Actor, provider: str, body: Mapping[str, Any]) -> ResourceMapping:
    """The team's mapping for the project the body names; 404 resource_mapping_not_found."""
    mapping = directory.find_mapping(
        actor.runtime.db,
        actor.team.id,
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


def container_access(
    actor: Actor, provider: str, body: Mapping[str, Any], *, then: str
) -> tuple[ResourceMapping, str]:
    """Policy, mapping and linked identity for a ticket the request names (search, draft, bind)."""
    ensure_origin_provider(actor, provider)
    mapping = resource_mapping(actor, provider, body)
    return mapping, linked_credential(actor.runtime, actor.user_id, provider, then=then)


@dataclass(frozen=True)
class OriginAccess:
    link: OriginLink
    mapping: ResourceMapping
    credential: str
    ticket: TrackerIssue


async def origin_access(actor: Actor, mission_id: str, *, then: str) -> OriginAccess:
    """The mission's link, its container and its ticket as the acting user may see it now.

    Raises: ApiError origin_not_found, unsupported_provider, resource_mapping_not_found,
    user_link_required, ticket_not_found, ticket_out_of_scope, or the tracker failure's code.
    """
    runtime = actor.runtime
    link = origins.get(runtime.db, actor.team.id, mission_id)
    if link is None:
        raise origin_answers.no_origin(mission_id)
    ensure_origin_provider(actor, link.provider)
    mapping = directory.mapping_of_resource(
        runtime.db, actor.team.id, link.provider, link.resource_type, link.resource_id
    )
    if mapping is None:
        raise origin_answers.no_mapping_for(link)
    credential = linked_credential(runtime, actor.user_id, link.provider, then=then)
    ticket = await runtime.trackers.resolve(
        mapping, credential, issue_id=link.external_issue_id, key_hint=link.external_issue_key
    )
    return OriginAccess(link, mapping, credential, ticket)


async def unbind_access(actor: Actor, mission_id: str) -> OriginLink | None:
    """The link the actor may remove (None: the mission has none).

    Whoever bound it may remove it with their linked identity, even when the ticket was deleted
    since; any other member must also see the ticket now (the same checks as a refresh).
    """
    runtime = actor.runtime
    link = origins.get(runtime.db, actor.team.id, mission_id)
    if link is None:
        return None
    ensure_origin_provider(actor, link.provider)
    if link.bound_by == actor.user_id:
        linked_credential(runtime, actor.user_id, link.provider, then="unbind again")
        return link
    return (await origin_access(actor, mission_id, then="unbind again")).link


async def ticket_missions_access(
    actor: Actor, provider: str, issue_id: str, links: list[OriginLink]
) -> list[OriginLink]:
    """The links of one ticket the actor may list: none unless they can see the ticket."""
    ensure_origin_provider(actor, provider)
    credential = linked_credential(actor.runtime, actor.user_id, provider, then="list again")
    if not links:
        return []
    first = links[0]
    mapping = directory.mapping_of_resource(
        actor.runtime.db, actor.team.id, provider, first.resource_type, first.resource_id
    )
    if mapping is None:
        return []
    try:
        await actor.runtime.trackers.resolve(mapping, credential, issue_id=issue_id, key_hint=None)
    except ApiError as error:
        if error.code in (ErrorCode.ticket_not_found, ErrorCode.ticket_out_of_scope):
            return []  # a ticket the user cannot see has no missions they may learn of
        raise
    return links
