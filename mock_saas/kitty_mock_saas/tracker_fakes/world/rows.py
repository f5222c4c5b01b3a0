"""A `tickets` row and a `FakeTicket`, both ways, and what every part of the world shares:
the declarations of the store's connection that its mixins (edits, comments, labels, accounts,
events) use."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, TypeVar

from kitty_contracts import Provider, StatusCategory

from kitty_mock_saas.store import Connection

from .models import FakeTicket
from .schema import WorldStore
from .text_index import TicketTextIndex

__all__ = [
    "INSERT_COLUMNS",
    "ORIGINAL_COLUMNS",
    "TICKET_COLUMNS",
    "TICKET_FROM",
    "WorldParts",
    "save_original",
    "ticket_from_row",
    "ticket_row",
    "ticket_rowid",
]
T = TypeVar("T")

TICKET_COLUMNS = (
    "t.provider, c.key, c.external_id, t.number, t.external_id, t.key, t.title, "
    "t.body_markdown, t.status_name, t.status_category, t.created_at, t.updated_at, "
    "t.state_reason, t.is_pull_request, t.transferred_to, t.deleted, t.restricted_to, "
    "t.labels, t.assignee, t.reporter, t.priority, t.parent_key"
)
TICKET_FROM = "tickets t JOIN containers c ON c.rowid = t.container_rowid"
# The columns `ticket_row` fills, in its order.
INSERT_COLUMNS = (
    "provider, container_rowid, number, external_id, key, title, body_markdown, status_name, "
    "status_category, state_reason, is_pull_request, transferred_to, deleted, restricted_to, "
    "created_at, updated_at, scope, labels, assignee, reporter, priority, parent_key"
)

# The ticket columns a write may change, kept before its first write so a reset can undo it.
ORIGINAL_COLUMNS = (
    "title, body_markdown, status_name, status_category, state_reason, deleted, restricted_to, "
    "updated_at, labels, assignee, reporter, priority, parent_key"
)


def save_original(db: Connection, rowid: int) -> None:
    """Keep the ticket's columns as they are before its first write (inside the write)."""
    db.execute(
        f"INSERT INTO ticket_originals (ticket_rowid, {ORIGINAL_COLUMNS}) "
        f"SELECT rowid, {ORIGINAL_COLUMNS} FROM tickets WHERE rowid = ? "
        "ON CONFLICT (ticket_rowid) DO NOTHING",
        (rowid,),
    )


def ticket_row(ticket: FakeTicket, container_rowid: int) -> tuple[Any, ...]:
    """The values of `INSERT_COLUMNS` for `ticket`."""
    return (
        ticket.provider.value,
        container_rowid,
        ticket.number,
        ticket.id,
        ticket.key,
        ticket.title,
        ticket.body_markdown,
        ticket.status_name,
        ticket.status_category.value,
        ticket.state_reason,
        int(ticket.is_pull_request),
        ticket.transferred_to,
        int(ticket.deleted),
        None if ticket.restricted_to is None else json.dumps(list(ticket.restricted_to)),
        ticket.created_at.isoformat(),
        ticket.updated_at.isoformat(),
        f"s{container_rowid}",
        json.dumps(list(ticket.labels)),
        ticket.assignee,
        ticket.reporter,
        ticket.priority,
        ticket.parent_key,
    )


# Enum lookups by value, without `Enum.__call__` (a search hydrates every hit it returns).
_PROVIDERS = {provider.value: provider for provider in Provider}
_CATEGORIES = {category.value: category for category in StatusCategory}


def ticket_from_row(row: tuple[Any, ...]) -> FakeTicket:
    """The ticket of a row selected with `TICKET_COLUMNS`."""
    restricted = None if row[16] is None else tuple(json.loads(row[16]))
    return FakeTicket(
        provider=_PROVIDERS[row[0]],
        container_key=row[1],
        container_id=row[2],
        number=row[3],
        id=row[4],
        key=row[5],
        title=row[6],
        body_markdown=row[7],
        status_name=row[8],
        status_category=_CATEGORIES[row[9]],
        created_at=datetime.fromisoformat(row[10]),
        updated_at=datetime.fromisoformat(row[11]),
        state_reason=row[12],
        is_pull_request=bool(row[13]),
        transferred_to=row[14],
        deleted=bool(row[15]),
        restricted_to=restricted,
        labels=() if row[17] in (None, "[]") else tuple(json.loads(row[17])),
        assignee=row[18],
        reporter=row[19],
        priority=row[20],
        parent_key=row[21],
    )


class WorldParts:
    """What the world's mixins use of `TrackerWorld` (which defines each of these)."""

    _lock: Any
    _store: WorldStore
    _text: TicketTextIndex
    _data_version: int
    path: str
    clock: Callable[[], datetime]
    _index_progress: Callable[[int, int], None] | None

    def _write(self) -> AbstractContextManager[Connection]:  # pragma: no cover - store's
        raise NotImplementedError

    def _rows(
        self, sql: str, params: dict[str, Any] | tuple[Any, ...] = ()
    ) -> list[Any]:  # pragma: no cover - the store's
        raise NotImplementedError

    def _remembered(self, key: Hashable, compute: Callable[[], T]) -> T:  # pragma: no cover
        raise NotImplementedError

    def ticket(self, provider: Provider, key: str) -> FakeTicket | None:  # pragma: no cover
        raise NotImplementedError

    def _catch_up_text_index(self) -> None:  # pragma: no cover - the store's
        raise NotImplementedError


def ticket_rowid(db: Connection, provider: Provider, key: str) -> int | None:
    """The rowid of the ticket with `key`, or None."""
    row = db.execute(
        "SELECT rowid FROM tickets WHERE provider = ? AND key = ?", (provider.value, key)
    ).fetchone()
    return None if row is None else int(row[0])
