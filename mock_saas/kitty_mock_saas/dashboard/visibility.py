"""Who may see which team's data on the dashboard.

A caller on the loopback interface, or one sending the admin token, sees everything (the local
developer). Anyone else sees the teams of the user whose bearer token they send, and nothing of
any other team: no e-mails, links, events or requests. An anonymous caller off the loopback
interface gets a 403, unless the mock was started with `--dashboard-public`, which opens it all.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, replace

from starlette.exceptions import HTTPException
from starlette.requests import Request

from kitty_mock_saas.runtime import MockRuntime
from kitty_mock_saas.state import directory

from .snapshot import DashboardSnapshot

_LOOPBACK = ("127.", "::1")


@dataclass(frozen=True)
class Viewer:
    """Everything (`team_slugs` None), or only the data of these teams."""

    team_slugs: frozenset[str] | None


EVERYTHING = Viewer(None)


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def viewer_of(request: Request, runtime: MockRuntime) -> Viewer:
    """What this caller may see.

    Raises:
        HTTPException: 403 for an anonymous caller off the loopback interface (or a bad token).
    """
    settings = runtime.settings
    host = request.client.host if request.client else ""
    if settings.dashboard_public or host.startswith(_LOOPBACK):
        return EVERYTHING
    token = request.headers.get("x-admin-token") or _bearer(request)
    if token is not None and hmac.compare_digest(token, settings.admin_token):
        return EVERYTHING
    user = directory.user_by_token(runtime.db, token) if token else None
    if user is None:
        raise HTTPException(
            403,
            "The dashboard shows team data: send a user's token (Authorization: Bearer) for that "
            "user's teams, or the admin token (X-Admin-Token) for all; it is open without a token "
            "on 127.0.0.1 only (or with --dashboard-public).",
        )
    return Viewer(frozenset(t.slug for t in directory.teams_of(runtime.db, user.id)))


def narrowed(snapshot: DashboardSnapshot, viewer: Viewer) -> DashboardSnapshot:
    """The snapshot with every row of other teams (and their members) left out."""
    slugs = viewer.team_slugs
    if slugs is None:
        return snapshot
    teams = [t for t in snapshot.teams if t["slug"] in slugs]
    team_ids = {t["id"] for t in teams}
    users = [
        {**u, "teams": [s for s in u.get("teams", []) if s in slugs]}
        for u in snapshot.users
        if slugs.intersection(u.get("teams", []))
    ]
    user_ids = {u["id"] for u in users}
    mappings = [m for m in snapshot.resource_mappings if m["team_id"] in team_ids]
    mapped = {(m["provider"], m["container_key"]) for m in mappings}
    return replace(
        snapshot,
        teams=teams,
        users=users,
        resource_mappings=mappings,
        containers=[c for c in snapshot.containers if (c.provider, c.key) in mapped],
        origin_links=[link for link in snapshot.origin_links if link["team_id"] in team_ids],
        event_receipts=[r for r in snapshot.event_receipts if r.get("user_id") in user_ids],
        requests=[r for r in snapshot.requests if r.get("user_id") in user_ids],
    )
