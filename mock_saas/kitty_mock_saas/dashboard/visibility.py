"""Who may see which team's data on the dashboard, and through which host name.

Every dashboard request must name the mock by a host it answers to (the address it is bound to,
`localhost`, or one of `dashboard_hosts`): a page of another site that points its own name at
127.0.0.1 (DNS rebinding) sends its own `Host` and is refused. A caller on the loopback interface,
or one sending the admin token, then sees everything (the local developer). Anyone else sees the
teams of the user whose bearer token they send, and within them only what that user could read
through the trackers with their own linked identity; other teams' members, links, events,
journal rows and faults never appear. An anonymous caller off the loopback interface gets a 403,
unless the mock was started with `--dashboard-public`, which opens it all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request

from kitty_mock_saas.admin_auth import AdminTokenGuard
from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.host_names import foreign_host
from kitty_mock_saas.runtime import MockRuntime
from kitty_mock_saas.state import directory
from kitty_mock_saas.state.directory import ResourceMapping

from .snapshot import DashboardSnapshot, Row

_LOOPBACK = ("127.", "::1")
# A tracker that does not answer hides its tickets rather than holding the page.
_TRACKER_SECONDS = 5.0


@dataclass(frozen=True)
class Viewer:
    """Everything (`user_id` None), or what this user may see of these teams."""

    user_id: str | None
    team_slugs: frozenset[str] = frozenset()
    team_ids: frozenset[str] = frozenset()


EVERYTHING = Viewer(None)


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def check_host(request: Request, runtime: MockRuntime) -> None:
    """Refuse a request that names the mock by a host it does not answer to.

    Raises:
        HTTPException: 403 naming the refused host name.
    """
    name = foreign_host(request.scope, runtime.settings.dashboard_hosts)
    if name is not None:
        raise HTTPException(
            403,
            f"The dashboard answers to its bound address and localhost, not to the host "
            f"{name[:64]!r}; add a name with KITTY_MOCK_DASHBOARD_HOSTS.",
        )


def viewer_of(request: Request, runtime: MockRuntime) -> Viewer:
    """What this caller may see.

    Raises:
        HTTPException: 403 for a foreign host name, or an anonymous caller off the loopback
            interface (or a bad token).
    """
    check_host(request, runtime)
    settings = runtime.settings
    peer = request.client.host if request.client else ""
    if settings.dashboard_public or peer.startswith(_LOOPBACK):
        return EVERYTHING
    admin_token, bearer = request.headers.get("x-admin-token"), _bearer(request)
    if admin_token is not None and _is_admin(request, admin_token, peer):
        return EVERYTHING
    # A user's own token is no guess at the admin token: it is looked up first.
    user = directory.user_by_token(runtime.db, bearer) if bearer else None
    if user is None and bearer is not None and _is_admin(request, bearer, peer):
        return EVERYTHING
    if user is None:
        raise HTTPException(
            403,
            "The dashboard shows team data: send a user's token (Authorization: Bearer) for that "
            "user's teams, or the admin token (X-Admin-Token) for all; it is open without a token "
            "on 127.0.0.1 only (or with --dashboard-public).",
        )
    teams = directory.teams_of(runtime.db, user.id)
    return Viewer(user.id, frozenset(t.slug for t in teams), frozenset(t.id for t in teams))


def _is_admin(request: Request, token: str | None, peer: str) -> bool:
    """The admin guard's answer; a wrong token counts against the caller's address."""
    guard: AdminTokenGuard = request.app.state.admin_guard
    try:
        return guard.is_admin(token, peer)
    except ApiError as error:
        raise HTTPException(403, error.message) from None


async def narrowed(
    snapshot: DashboardSnapshot, viewer: Viewer, runtime: MockRuntime
) -> DashboardSnapshot:
    """The snapshot with every row of other teams left out, and every ticket (and link to one)
    that the viewer's own tracker identity cannot read."""
    if viewer.user_id is None:
        return snapshot
    slugs = viewer.team_slugs
    teams = [t for t in snapshot.teams if t["slug"] in slugs]
    users = [
        {**u, "teams": [s for s in u.get("teams", []) if s in slugs]}
        for u in snapshot.users
        if slugs.intersection(u.get("teams", []))
    ]
    user_ids = {u["id"] for u in users}
    mappings = [m for m in snapshot.resource_mappings if m["team_id"] in viewer.team_ids]
    readable = _Readable(runtime, viewer.user_id)
    containers = []
    for container in snapshot.containers:
        mapping = next(
            (
                _mapping(m)
                for m in mappings
                if (m["provider"], m["container_key"]) == (container.provider, container.key)
            ),
            None,
        )
        if mapping is not None:
            shown = await readable.filter(mapping, container.tickets, "id", "key")
            containers.append(replace(container, tickets=shown))
    links = []
    for link in snapshot.origin_links:
        if link["team_id"] not in viewer.team_ids:
            continue
        mapping = directory.mapping_of_resource(
            runtime.db, link["team_id"], link["provider"], link["resource_type"],
            link["resource_id"],
        )  # fmt: skip
        if mapping is not None:
            links += await readable.filter(
                mapping, [link], "external_issue_id", "external_issue_key"
            )
    return replace(
        snapshot,
        teams=teams,
        users=users,
        resource_mappings=mappings,
        containers=containers,
        origin_links=links,
        event_receipts=[r for r in snapshot.event_receipts if r.get("user_id") in user_ids],
        requests=[r for r in snapshot.requests if _own_request(r, viewer)],
        faults=[f for f in snapshot.faults if _fault_for(f, user_ids)],
    )


def _mapping(row: Mapping[str, Any]) -> ResourceMapping:
    return ResourceMapping(
        row["team_id"], row["provider"], row["project_slug"], row.get("binding_ref"),
        row["resource_type"], row["resource_id"], row["container_key"],
    )  # fmt: skip


def _own_request(row: Row, viewer: Viewer) -> bool:
    """A request for one of the viewer's teams, or the viewer's own without a team."""
    team = (row.get("headers") or {}).get("x-team-slug")
    if team is None:
        return row.get("user_id") == viewer.user_id
    return team in viewer.team_slugs or team in viewer.team_ids


def _fault_for(fault: Row, user_ids: set[str]) -> bool:
    """A fault for everyone, or for a member of the viewer's teams."""
    user = (fault.get("params") or {}).get("user")
    return user is None or user in user_ids


class _Readable:
    """Which tickets the user's linked identity can read, asked of the tracker itself."""

    def __init__(self, runtime: MockRuntime, user_id: str) -> None:
        self.runtime = runtime
        self.user_id = user_id

    async def filter(
        self, mapping: ResourceMapping, rows: Any, id_field: str, key_field: str
    ) -> list[Row]:
        credential = directory.linked_token(self.runtime.db, self.user_id, mapping.provider)
        if credential is None:
            return []
        rows = list(rows)
        seen = await asyncio.gather(
            *(self._reads(mapping, credential, r[id_field], r[key_field]) for r in rows)
        )
        return [row for row, ok in zip(rows, seen, strict=True) if ok]

    async def _reads(
        self, mapping: ResourceMapping, credential: str, issue_id: str, key: str | None
    ) -> bool:
        try:
            await asyncio.wait_for(
                self.runtime.trackers.resolve(mapping, credential, issue_id=issue_id, key_hint=key),
                _TRACKER_SECONDS,
            )
        except (ApiError, TimeoutError):
            return False
        return True


__all__ = ["EVERYTHING", "Viewer", "check_host", "narrowed", "viewer_of"]
