"""Editing tickets of the world, as a tracker's users would: title, body, status, who may see
it, deletion. The admin API's world-editing operations and tests use it.

The first edit of a ticket keeps its earlier columns (`ticket_originals`), so `revert_edits`
(the mock's reset) puts every edited ticket back as seeded. An edit commits to SQLite, then
replaces the ticket's document in the text index, so a new title is found by free text at once
and a deleted ticket no longer is.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kitty_contracts import Provider, StatusCategory

from .models import FakeTicket
from .text_index import IndexedTicket, TicketTextIndex, namespace

if TYPE_CHECKING:
    from .store import TrackerWorld

__all__ = ["INDEX_COLUMNS", "TicketChanges", "TicketEdits", "default_status", "indexed_ticket"]

# What the text index needs of a `tickets` row; `indexed_ticket` reads it.
INDEX_COLUMNS = (
    "rowid, container_rowid, is_pull_request, title, coalesce(body_markdown, ''), "
    "deleted = 0 AND transferred_to IS NULL"
)


def indexed_ticket(row: Any) -> IndexedTicket:
    """The index document of one row selected with `INDEX_COLUMNS`."""
    return IndexedTicket(
        rowid=row[0],
        namespace=namespace(row[1], pull_request=bool(row[2])),
        title=row[3],
        body=row[4],
        searchable=bool(row[5]),
    )


# The status a tracker shows for a category when an edit names none: (name, state_reason).
_DEFAULT_STATUSES: dict[Provider, dict[StatusCategory, tuple[str, str | None]]] = {
    Provider.jira: {
        StatusCategory.todo: ("To Do", None),
        StatusCategory.in_progress: ("In Progress", None),
        StatusCategory.done: ("Done", None),
        StatusCategory.canceled: ("Won't Do", None),
    },
    Provider.linear: {
        StatusCategory.todo: ("Todo", None),
        StatusCategory.in_progress: ("In Progress", None),
        StatusCategory.done: ("Done", None),
        StatusCategory.canceled: ("Canceled", None),
    },
    # GitHub has open and closed; a reason tells completed from not planned.
    Provider.github: {
        StatusCategory.todo: ("Open", None),
        StatusCategory.in_progress: ("Open", None),
        StatusCategory.done: ("Closed", "completed"),
        StatusCategory.canceled: ("Closed as not planned", "not_planned"),
    },
}


def default_status(provider: Provider, category: StatusCategory) -> tuple[str, str | None]:
    """The status name (and GitHub state reason) `provider` shows for `category`."""
    return _DEFAULT_STATUSES[provider][category]


@dataclass(frozen=True, slots=True)
class TicketChanges:
    """What an edit changes; a field left out (not in `given`) stays as it is.

    Build it with `TicketChanges.of(title=..., body_markdown=None, ...)`: None is a value for
    `body_markdown` (no description) and `restricted_to` (everyone may see it).
    """

    values: dict[str, Any] = field(default_factory=dict)

    _FIELDS = frozenset(
        {"title", "body_markdown", "status_category", "status_name", "restricted_to", "deleted"}
    )

    @classmethod
    def of(cls, **values: Any) -> TicketChanges:
        unknown = set(values) - cls._FIELDS
        if unknown:
            raise TypeError(f"not a ticket field: {', '.join(sorted(unknown))}")
        return cls(dict(values))


class TicketEdits:
    """The editing half of `TrackerWorld` (a mixin: it uses the store's connection and index)."""

    _lock: Any
    _db: sqlite3.Connection
    _text: TicketTextIndex
    _data_version: int
    path: str

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:  # pragma: no cover - store's
        raise NotImplementedError

    def ticket(self, provider: Provider, key: str) -> FakeTicket | None:  # pragma: no cover
        raise NotImplementedError

    def _data_version_now(self) -> int:  # pragma: no cover - the store's
        raise NotImplementedError

    def _catch_up_text_index(self) -> None:  # pragma: no cover - the store's
        raise NotImplementedError

    def edit_ticket(
        self, provider: Provider, key: str, changes: TicketChanges, *, now: datetime | None = None
    ) -> FakeTicket | None:
        """Apply `changes` to the ticket with `key` (tombstones included); None if there is none.

        A status category without a name takes the provider's usual name for it; a status name
        alone keeps the category. `updated_at` becomes `now`.
        """
        ticket = self.ticket(provider, key)
        if ticket is None:
            return None
        values = dict(changes.values)
        columns: dict[str, Any] = {}
        if "title" in values:
            columns["title"] = values["title"]
        if "body_markdown" in values:
            columns["body_markdown"] = values["body_markdown"]
        if "status_category" in values or "status_name" in values:
            category = StatusCategory(values.get("status_category", ticket.status_category))
            name, reason = default_status(provider, category)
            columns["status_category"] = category.value
            columns["status_name"] = values.get("status_name") or name
            columns["state_reason"] = reason
        if "restricted_to" in values:
            restricted = values["restricted_to"]
            columns["restricted_to"] = None if restricted is None else json.dumps(list(restricted))
        if "deleted" in values:
            columns["deleted"] = int(bool(values["deleted"]))
        columns["updated_at"] = (now or datetime.now(UTC)).isoformat()
        assignments = ", ".join(f"{name} = :{name}" for name in columns)
        with self._write() as db:
            rowid = db.execute(
                "SELECT rowid FROM tickets WHERE provider = ? AND key = ?", (provider.value, key)
            ).fetchone()[0]
            db.execute(
                "INSERT OR IGNORE INTO ticket_originals SELECT rowid, title, body_markdown, "
                "status_name, status_category, state_reason, deleted, restricted_to, updated_at "
                "FROM tickets WHERE rowid = ?",
                (rowid,),
            )
            db.execute(
                f"UPDATE tickets SET {assignments} WHERE rowid = :rowid",
                {**columns, "rowid": rowid},
            )
        self._reindex([rowid])
        return self.ticket(provider, key)

    def revert_edits(self) -> int:
        """Put every edited ticket back as it was before its first edit; returns how many."""
        with self._write() as db:
            rowids = [r[0] for r in db.execute("SELECT ticket_rowid FROM ticket_originals")]
            db.execute(
                "UPDATE tickets SET (title, body_markdown, status_name, status_category, "
                "state_reason, deleted, restricted_to, updated_at) = (SELECT o.title, "
                "o.body_markdown, o.status_name, o.status_category, o.state_reason, o.deleted, "
                "o.restricted_to, o.updated_at FROM ticket_originals o "
                "WHERE o.ticket_rowid = tickets.rowid) "
                "WHERE rowid IN (SELECT ticket_rowid FROM ticket_originals)"
            )
            db.execute("DELETE FROM ticket_originals")
        self._reindex(rowids)
        return len(rowids)

    def copy_to(self, path: str) -> TrackerWorld:
        """A new world at `path` (a file, replaced if there is one, or ":memory:") holding
        everything this one holds; its text index is built afresh from the copy."""
        from .store import TrackerWorld

        if path != ":memory:":
            for suffix in ("", "-wal", "-shm"):
                Path(path + suffix).unlink(missing_ok=True)
            shutil.rmtree(f"{path}.text", ignore_errors=True)
        copy = TrackerWorld(path)
        with self._lock, copy._lock:
            self._db.backup(copy._db)
        copy._catch_up_text_index()
        return copy

    def _reindex(self, rowids: list[int]) -> None:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {INDEX_COLUMNS} FROM tickets "
                "WHERE rowid IN (SELECT value FROM json_each(?))",
                (json.dumps(rowids),),
            ).fetchall()
            self._text.replace([indexed_ticket(r) for r in rows])
            with self._write() as db:
                # Other processes of this world see a new data_version and reload the index.
                db.execute(
                    "INSERT INTO text_index_commits (id, generation) VALUES (1, 1) "
                    "ON CONFLICT (id) DO UPDATE SET generation = generation + 1"
                )
            self._data_version = self._data_version_now()
