"""What happened to tickets: every write appends one event per change (renamed, labeled,
assigned, closed, commented, ...), the record GitHub's issue events and Jira's changelog are
rendered from. Events of writes are deleted by the mock's reset; seeded ones stay."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from kitty_contracts import Provider

from kitty_mock_saas.store import Connection

from .models import EventKind, TicketEvent
from .rows import WorldParts

__all__ = ["Change", "TicketEvents", "append_events"]

# One change of a ticket: its kind and details.
Change = tuple[EventKind, dict[str, Any]]

_COLUMNS = "e.seq, e.write_seq, e.provider, t.key, e.kind, e.actor, e.at, e.details"
_FROM = "ticket_events e JOIN tickets t ON t.rowid = e.ticket_rowid"


class TicketEvents(WorldParts):
    """The events half of `TrackerWorld` (a mixin over the store's connection)."""

    def ticket_events(self, provider: Provider, key: str) -> list[TicketEvent]:
        """The events of one ticket, oldest first."""
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM {_FROM} WHERE t.provider = ? AND t.key = ? ORDER BY e.seq",
            (provider.value, key),
        )
        return [_event(row) for row in rows]

    def container_events(
        self, provider: Provider, container_id: str, *, limit: int, offset: int = 0
    ) -> list[TicketEvent]:
        """A page of the events of every ticket of one container, newest first."""
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM {_FROM} WHERE t.provider = :provider AND t.container_rowid = "
            "(SELECT rowid FROM containers WHERE provider = :provider AND external_id = :id) "
            "ORDER BY e.seq DESC LIMIT :limit OFFSET :offset",
            {"provider": provider.value, "id": container_id, "limit": limit, "offset": offset},
        )
        return [_event(row) for row in rows]

    def ticket_event(self, provider: Provider, event_id: int) -> TicketEvent | None:
        """The event with this id, or None."""
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM {_FROM} WHERE e.provider = ? AND e.seq = ?",
            (provider.value, event_id),
        )
        return _event(rows[0]) if rows else None


def append_events(
    db: Connection,
    provider: Provider,
    ticket_rowid: int,
    changes: Sequence[Change],
    *,
    actor: str | None,
    at: datetime,
    written: bool = True,
) -> None:
    """Record the changes of one write of a ticket (inside the write's transaction)."""
    if not changes:
        return
    write_seq = db.execute("SELECT coalesce(max(write_seq), 0) + 1 FROM ticket_events").fetchone()
    db.executemany(
        "INSERT INTO ticket_events (write_seq, provider, ticket_rowid, kind, actor, at, details, "
        "written) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                write_seq[0],
                provider.value,
                ticket_rowid,
                kind.value,
                actor,
                at.isoformat(),
                json.dumps(details, sort_keys=True),
                int(written),
            )
            for kind, details in changes
        ],
    )


def _event(row: tuple[Any, ...]) -> TicketEvent:
    return TicketEvent(
        id=int(row[0]),
        write=int(row[1]),
        provider=Provider(row[2]),
        ticket_key=str(row[3]),
        kind=EventKind(row[4]),
        actor=row[5],
        at=datetime.fromisoformat(row[6]),
        details=json.loads(row[7]),
    )
