"""Editing tickets of the world, as a tracker's users would: title, body, status, labels,
assignee, reporter, priority, parent, who may see it, deletion. The fakes' writes, the admin
API's world-editing operations and tests use it.

The first write of a ticket keeps its earlier columns (`ticket_originals`), so `revert_edits`
(the mock's reset) puts every written ticket back as seeded and deletes what writes added
(tickets, comments, labels, events). An edit commits to SQLite, then replaces the ticket's
document in the text index when its title, body or deletion changed, so a new title is found by
free text at once and a deleted ticket no longer is.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kitty_contracts import Provider, StatusCategory

from kitty_mock_saas.store import Connection
from kitty_mock_saas.store.sqlite import SqliteStore

from .accounts import Accounts
from .changes import EDITABLE_FIELDS, default_status, planned_changes
from .comments import revert_comments
from .events import append_events
from .labels import ensure_labels
from .models import FakeTicket
from .rows import ORIGINAL_COLUMNS, save_original, ticket_rowid
from .schema import WorldStore
from .text_index import IndexedTicket, namespace

if TYPE_CHECKING:
    from .store import TrackerWorld

__all__ = ["INDEX_COLUMNS", "TicketChanges", "TicketEdits", "default_status", "indexed_ticket"]

# The columns the text index reads: a write changing one re-indexes the ticket.
_INDEXED = frozenset({"title", "body_markdown", "deleted"})
_PREFIXED_ORIGINALS = ", ".join(f"o.{c.strip()}" for c in ORIGINAL_COLUMNS.split(","))

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


@dataclass(frozen=True, slots=True)
class TicketChanges:
    """What an edit changes; a field left out (not in `values`) stays as it is.

    Build it with `TicketChanges.of(title=..., body_markdown=None, ...)`: None is a value for
    `body_markdown` (no description), `restricted_to` (everyone may see it), `assignee`,
    `reporter`, `priority` and `parent_key` (none). `labels` is the whole new set of names.
    `state_reason` (GitHub) overrides the one the status category implies.
    """

    values: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, **values: Any) -> TicketChanges:
        unknown = set(values) - EDITABLE_FIELDS
        if unknown:
            raise TypeError(f"not a ticket field: {', '.join(sorted(unknown))}")
        return cls(dict(values))


class TicketEdits(Accounts):
    """The editing half of `TrackerWorld` (a mixin: it uses the store's connection and index)."""

    def edit_ticket(
        self,
        provider: Provider,
        key: str,
        changes: TicketChanges,
        *,
        now: datetime | None = None,
        actor: str | None = None,
    ) -> FakeTicket | None:
        """Apply `changes` to the ticket with `key` (tombstones included); None if there is none.

        A status category without a name takes the provider's usual name for it; a status name
        alone keeps the category. `updated_at` becomes `now`. Each real change is recorded as
        an event by `actor` (an account id; None for an edit from outside the tracker, such as
        the admin API). Raises LookupError for an unknown assignee, reporter or parent,
        ValueError for a blank title, a priority off the scale or a parent cycle.
        """
        ticket = self.ticket(provider, key)
        if ticket is None:
            return None
        values = dict(changes.values)
        self._require_account(provider, values.get("assignee"))
        self._require_account(provider, values.get("reporter"))
        if values.get("parent_key") is not None:
            self._check_parent(ticket, values["parent_key"])
        at = now or self.clock()
        with self._write() as db:
            rowid = ticket_rowid(db, provider, key)
            assert rowid is not None  # read a moment ago; tickets are removed only by a reset
            if "labels" in values:
                values["labels"] = ensure_labels(
                    db, provider, _container_of(db, rowid), values["labels"]
                )
            columns, events = planned_changes(ticket, values)
            columns["updated_at"] = at.isoformat()
            save_original(db, rowid)
            assignments = ", ".join(f"{name} = :{name}" for name in columns)
            db.execute(
                f"UPDATE tickets SET {assignments} WHERE rowid = :rowid",
                {**columns, "rowid": rowid},
            )
            append_events(db, provider, rowid, events, actor=actor, at=at)
            if _INDEXED & columns.keys():
                # In the edit's own transaction: the index catches up even after a crash.
                db.execute("INSERT INTO text_changes (ticket_rowid) VALUES (?)", (rowid,))
        self._catch_up_text_index()
        return self.ticket(provider, key)

    def update_status(
        self,
        provider: Provider,
        key: str,
        *,
        status_name: str,
        status_category: StatusCategory,
        state_reason: str | None,
        updated_at: datetime,
        actor: str | None = None,
    ) -> FakeTicket | None:
        """Change a ticket's status, as a tracker's status write does.

        `actor` is the account the provider saw write it; the write is then logged
        (`status_writes`) and recorded as an event.
        """
        if actor is not None and self.ticket(provider, key) is not None:
            with self._write() as db:
                db.execute(
                    "INSERT INTO status_writes (provider, key, account_id, status_name, "
                    "status_category, at) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        provider.value,
                        key,
                        actor,
                        status_name,
                        status_category.value,
                        updated_at.isoformat(),
                    ),
                )
        changes = TicketChanges.of(
            status_name=status_name, status_category=status_category, state_reason=state_reason
        )
        return self.edit_ticket(provider, key, changes, now=updated_at, actor=actor)

    def _check_parent(self, ticket: FakeTicket, parent_key: str) -> None:
        """The parent must be another ticket of the provider, and not one of its descendants."""
        seen = {ticket.key}
        current: str | None = parent_key
        while current is not None:
            if current in seen:
                raise ValueError(f"{parent_key} cannot be the parent of {ticket.key}: a cycle")
            seen.add(current)
            parent = self.ticket(ticket.provider, current)
            if parent is None:
                raise LookupError(f"no {ticket.provider.value} ticket {current!r}")
            current = parent.parent_key

    def revert_edits(self) -> int:
        """Put the world back as seeded: every written ticket as before its first write,
        created tickets, comments, labels, links and events of writes gone, the status log
        empty.
        Returns how many tickets changed back or went."""
        with self._write() as db:
            edited = [r[0] for r in db.execute("SELECT ticket_rowid FROM ticket_originals")]
            db.execute(
                f"UPDATE tickets SET ({ORIGINAL_COLUMNS}) = (SELECT {_PREFIXED_ORIGINALS} "
                "FROM ticket_originals o WHERE o.ticket_rowid = tickets.rowid) "
                "WHERE rowid IN (SELECT ticket_rowid FROM ticket_originals)"
            )
            db.execute(
                "INSERT INTO text_changes (ticket_rowid) SELECT ticket_rowid FROM ticket_originals"
            )
            db.execute("DELETE FROM ticket_originals")
            created = [r[0] for r in db.execute("SELECT rowid FROM tickets WHERE written = 1")]
            # Their documents go too, and their rowids may be used again.
            db.execute(
                "INSERT INTO text_changes (ticket_rowid) SELECT rowid FROM tickets WHERE written = 1"
            )
            revert_comments(db)
            db.execute("DELETE FROM ticket_events WHERE written = 1")
            db.execute("DELETE FROM ticket_links WHERE written = 1")
            for table, column in (
                ("comments", "ticket_rowid"),
                ("ticket_events", "ticket_rowid"),
                ("ticket_links", "from_rowid"),
                ("ticket_links", "to_rowid"),
            ):
                db.execute(
                    f"DELETE FROM {table} WHERE {column} IN "
                    "(SELECT rowid FROM tickets WHERE written = 1)"
                )
            db.execute("DELETE FROM tickets WHERE written = 1")
            db.execute("DELETE FROM labels WHERE written = 1")
            db.execute("DELETE FROM status_writes")
        self._catch_up_text_index()
        return len(set(edited) | set(created))

    def copy_to(self, path: str) -> TrackerWorld:
        """A new world at `path` (an SQLite file, replaced if there is one, or ":memory:")
        holding everything this one holds; its text index is built afresh from the copy."""
        from .store import TrackerWorld

        if path != ":memory:":
            for suffix in ("", "-wal", "-shm"):
                Path(path + suffix).unlink(missing_ok=True)
            shutil.rmtree(f"{path}.text", ignore_errors=True)
        copy = TrackerWorld(path, clock=self.clock)
        target = copy._store
        assert isinstance(target, SqliteStore)  # a path opens an SQLite store
        source = self._store
        if isinstance(source, SqliteStore):
            with self._lock, copy._lock:
                source.connection.backup(target.connection)
        else:
            _copy_rows(source, target)
        copy._catch_up_text_index()
        return copy


# Not copied row by row: the copy's ledger is its own, and its new text index needs no log.
_NOT_COPIED = ("schema_migrations", "text_changes", "text_index_commits", "sqlite_sequence")


def _copy_rows(source: WorldStore, target: SqliteStore) -> None:
    """Every row of the world's tables (the copy's, as its migrations made them) from `source`
    into the empty `target`, rowids included, in one write of each."""
    with target.write() as into, source.read() as rows_of:
        tables = [
            str(row[0])
            for row in into.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if row[0] not in _NOT_COPIED
        ]
        for table in tables:
            rows = rows_of.execute(f"SELECT * FROM {table}").fetchall()
            if rows:
                columns = list(rows[0].keys())
                into.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})",
                    [tuple(row) for row in rows],
                )


def _container_of(db: Connection, rowid: int) -> int:
    return int(
        db.execute("SELECT container_rowid FROM tickets WHERE rowid = ?", (rowid,)).fetchone()[0]
    )
