"""Mission origin links: one origin per (team, mission), in the domain's own terms.

The SaaS record is authoritative. Binding the same issue again finds the existing link; another
issue is a conflict; a new link stores the ticket as the tracker resolved it. Each write runs in
the caller's `BEGIN IMMEDIATE` transaction, so two workers never store two origins for a mission.
What an outcome means on the wire is the API layer's business.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from kitty_mock_saas.connectors import TrackerIssue
from kitty_mock_saas.ids import ulid, utc_now
from kitty_mock_saas.store import Connection, Row

from .db import Database
from .directory import ResourceMapping


@dataclass(frozen=True)
class OriginLink:
    """A stored link: the mission, its routing context and the ticket as resolved at bind time."""

    origin_link_id: str
    team_id: str
    mission_id: str
    mission_slug: str | None
    provider: str
    resource_type: str
    resource_id: str
    external_issue_id: str
    external_issue_key: str
    external_issue_url: str
    external_title: str
    external_status: str
    external_status_category: str
    bound_at: str
    bound_by: str
    idempotency_key: str | None  # of the request that created it

    @classmethod
    def of(cls, row: Row) -> OriginLink:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


class BindOutcome(enum.Enum):
    CREATED = "created"
    EXISTING = "existing"  # the same issue was bound before: nothing changed
    CONFLICT = "conflict"  # another issue is bound: `link` is that one
    UNRESOLVED = "unresolved"  # no link yet and no resolved ticket to store


@dataclass(frozen=True)
class BindResult:
    outcome: BindOutcome
    link: OriginLink | None


def _get(conn: Connection, team_id: str, mission_id: str) -> OriginLink | None:
    row = conn.execute(
        "SELECT * FROM origin_links WHERE team_id = ? AND mission_id = ?", (team_id, mission_id)
    ).fetchone()
    return OriginLink.of(row) if row is not None else None


def get(db: Database, team_id: str, mission_id: str) -> OriginLink | None:
    """The mission's link in the team, if it has one."""
    with db.read() as conn:
        return _get(conn, team_id, mission_id)


def bind(
    conn: Connection,
    *,
    team_id: str,
    user_id: str,
    mapping: ResourceMapping,
    mission_id: str,
    mission_slug: str | None,
    issue_id: str,
    ticket: TrackerIssue | None,
    idempotency_key: str | None,
) -> BindResult:
    """Find or create the mission's link to `issue_id`; `ticket` is the tracker's view of it."""
    existing = _get(conn, team_id, mission_id)
    if existing is not None:
        same = (existing.provider, existing.external_issue_id) == (mapping.provider, issue_id)
        return BindResult(BindOutcome.EXISTING if same else BindOutcome.CONFLICT, existing)
    if ticket is None:
        return BindResult(BindOutcome.UNRESOLVED, None)
    link = OriginLink(
        origin_link_id=f"oln_{ulid()}",
        team_id=team_id,
        mission_id=mission_id,
        mission_slug=mission_slug,
        provider=mapping.provider,
        resource_type=mapping.resource_type,
        resource_id=mapping.resource_id,
        external_issue_id=ticket.external_issue_id,
        external_issue_key=ticket.external_issue_key,
        external_issue_url=ticket.url,
        external_title=ticket.title,
        external_status=ticket.status,
        external_status_category=ticket.status_category.value,
        bound_at=utc_now(),
        bound_by=user_id,
        idempotency_key=idempotency_key,
    )
    fields = list(OriginLink.__dataclass_fields__)
    conn.execute(
        f"INSERT INTO origin_links ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})",
        [getattr(link, name) for name in fields],
    )
    return BindResult(BindOutcome.CREATED, link)


# What a refresh may change: the ticket as the tracker shows it; the id and routing stay.
REFRESHED = (
    "external_issue_key",
    "external_issue_url",
    "external_title",
    "external_status",
    "external_status_category",
)


def refresh(
    conn: Connection, *, team_id: str, mission_id: str, ticket: TrackerIssue
) -> tuple[OriginLink, list[str]] | None:
    """Store the tracker's current view of the mission's ticket; the link and what changed.

    None when the mission has no link (any more), or it names another ticket than `ticket`.
    """
    existing = _get(conn, team_id, mission_id)
    if existing is None or existing.external_issue_id != ticket.external_issue_id:
        return None
    current = {
        "external_issue_key": ticket.external_issue_key,
        "external_issue_url": ticket.url,
        "external_title": ticket.title,
        "external_status": ticket.status,
        "external_status_category": ticket.status_category.value,
    }
    changed = [name for name in REFRESHED if getattr(existing, name) != current[name]]
    if changed:
        conn.execute(
            f"UPDATE origin_links SET {', '.join(f'{n} = ?' for n in changed)}"
            " WHERE origin_link_id = ?",
            [*(current[n] for n in changed), existing.origin_link_id],
        )
    return _get(conn, team_id, mission_id) or existing, changed


def unbind(
    conn: Connection, *, team_id: str, mission_id: str, link_id: str | None
) -> OriginLink | None:
    """Remove the mission's link if it is `link_id`; the removed link, or None."""
    existing = _get(conn, team_id, mission_id)
    if existing is not None and existing.origin_link_id == link_id:
        conn.execute(
            "DELETE FROM origin_links WHERE origin_link_id = ?", (existing.origin_link_id,)
        )
        return existing
    return None


def by_ticket(
    db: Database, *, team_id: str, provider: str, issue_id: str, limit: int
) -> list[OriginLink]:
    """The team's links to one ticket, newest bind first."""
    with db.read() as conn:
        rows = conn.execute(
            "SELECT * FROM origin_links WHERE team_id = ? AND provider = ? AND external_issue_id = ?"
            " ORDER BY rowid DESC LIMIT ?",
            (team_id, provider, issue_id, limit),
        ).fetchall()
    return [OriginLink.of(row) for row in rows]


def list_links(db: Database, limit: int = 200) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(
            f"SELECT {', '.join(OriginLink.__dataclass_fields__)} FROM origin_links"
            " ORDER BY bound_at DESC LIMIT ?",
            (limit,),
        ).fetchall()
    return [dict(r) for r in rows]
