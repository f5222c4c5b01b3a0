"""`TrackerWorld`: the one ticket store behind every provider fake, in SQLite or PostgreSQL.

A file path lets several processes (e.g. two uvicorn workers) share one world: WAL mode,
a busy timeout and short transactions. ":memory:" gives a private world for tests. A
`postgresql://` URL lets replicas on several machines share one (`schema.py`).
Free text goes to a tantivy index (`TicketTextIndex`, searched by `search.py`), which catches up
with the database after each commit (`text_sync.py`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from kitty_contracts import Provider

from kitty_mock_saas.store import Connection
from kitty_mock_saas.store.sqlite import MEMORY, SqliteStore

from .comments import Comments
from .creation import TicketCreation
from .edits import TicketEdits
from .events import TicketEvents
from .labels import Labels
from .links import Links
from .models import Container, FakeTicket, Identity
from .rows import INSERT_COLUMNS, TICKET_COLUMNS, TICKET_FROM, ticket_from_row, ticket_row
from .schema import WorldStore, one_at_a_time, open_world_store, upgrade_world
from .search import SearchField, WorldSearch
from .search import _SearchSql as _SearchSql  # also the overlay's, from here
from .text_index import TicketTextIndex
from .text_log import SharedTextLog, TextLogRetention

__all__ = ["SearchField", "TextLogRetention", "TrackerWorld"]
T = TypeVar("T")

_TICKET_COLUMNS = TICKET_COLUMNS
_TICKET_FROM = TICKET_FROM


class TrackerWorld(WorldSearch, TicketEdits, TicketCreation, Comments, Labels, TicketEvents, Links):
    """The shared ticket store. Open one per process; every method is thread-safe.

    Usage::

        world = TrackerWorld("/tmp/world.sqlite")   # or TrackerWorld() for ":memory:"
        seed_default_world(world)
        hits = world.search(Provider.linear, team_uuid, "Clerk auth", account_id="lin-alice")
    """

    def __init__(
        self,
        location: str | Path | WorldStore = MEMORY,
        *,
        clock: Callable[[], datetime] | None = None,
        index_progress: Callable[[int, int], None] | None = None,
        text_log: TextLogRetention | None = None,
    ) -> None:
        """`location`: an SQLite file, ":memory:", a `postgresql://` URL (the world in schema
        `kitty_world`), or a store opened by the caller (`open_world_store`), which the world
        then owns. `index_progress(done, total)` hears how the opening catch-up of the text
        index goes (a lost or older index is rebuilt from the database: long for a large
        corpus). `text_log`: how long a PostgreSQL world keeps its `text_changes` log."""
        # What "now" is for every write and every answer of the fakes over this world.
        self.clock = clock or _utc_now
        # Guards the text index (tantivy's objects are not thread-safe); the store guards itself.
        self._lock = threading.RLock()
        if isinstance(location, str | Path):
            self._store: WorldStore = open_world_store(str(location))
        else:
            self._store = location
        self.path = self._store.path if isinstance(self._store, SqliteStore) else self._store.url
        self._sql = _SearchSql(self._store.dialect)
        upgrade_world(self._store, where=repr(self), now=self.clock().isoformat())
        # An SQLite world has one text index, beside its file (or in memory), which all its
        # processes share; on PostgreSQL each process keeps its own in memory (about 34 MB at
        # 1,000,000 tickets), rebuilt from the database when it starts.
        self._sole_index = isinstance(self._store, SqliteStore)
        if not self._sole_index:
            self._shared_log = SharedTextLog(text_log or TextLogRetention())
        shared = self._sole_index and self.path != MEMORY
        self._text = TicketTextIndex(Path(f"{self.path}.text") if shared else None)
        self._data_version = self._store.data_version(fresh=True)
        self._index_progress = index_progress
        try:
            self._catch_up_text_index()
        finally:
            self._index_progress = None

    def __repr__(self) -> str:
        if isinstance(self._store, SqliteStore):
            return f"TrackerWorld({self.path!r})"
        return f"TrackerWorld(PostgreSQL schema {self._store.schema!r})"

    def __enter__(self) -> TrackerWorld:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def one_at_a_time(self) -> AbstractContextManager[None]:
        """Held by one process of all that share this world at a time, across transactions
        (seeding, growing the corpus): see `schema.one_at_a_time`."""
        return one_at_a_time(self._store)

    def check(self) -> None:
        """Ask the world's database once, past every memo: raises `StoreUnavailable` when it
        does not answer."""
        self._store.data_version(fresh=True)

    def close(self) -> None:
        """Close the database connections."""
        with self._lock:
            self._store.close()
            del self._text

    def _write(self) -> AbstractContextManager[Connection]:
        """A write transaction of the world, serialized with every other writer."""
        return self._store.write()

    def _remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` (a read), kept until the world changes; callers must not mutate it."""
        return self._store.memo(key, compute)

    def _rows(self, sql: str, params: dict[str, Any] | tuple[Any, ...] = ()) -> list[Any]:
        with self._store.read() as db:
            return db.execute(sql, params).fetchall()

    # -- containers and identities --------------------------------------------------------

    def add_container(self, container: Container) -> Container:
        """Add (or replace) a container; returns it."""
        with self._write() as db:
            db.execute(
                "INSERT INTO containers (provider, key, external_id, name, site_url) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (provider, key) DO UPDATE SET "
                "external_id = excluded.external_id, name = excluded.name, "
                "site_url = excluded.site_url",
                (
                    container.provider.value,
                    container.key,
                    container.id,
                    container.name,
                    container.site_url,
                ),
            )
        return container

    def containers(self, provider: Provider | None = None) -> list[Container]:
        """Every container, optionally of one provider, in insertion order."""
        return list(self._remembered(("containers", provider), lambda: self._containers(provider)))

    def _containers(self, provider: Provider | None) -> tuple[Container, ...]:
        # `column = :value OR :value IS NULL`, in that order: PostgreSQL types a parameter
        # where it first meets it.
        rows = self._rows(
            "SELECT provider, key, external_id, name, site_url FROM containers "
            "WHERE provider = :provider OR :provider IS NULL ORDER BY rowid",
            {"provider": provider.value if provider else None},
        )
        return tuple(Container(Provider(r[0]), r[1], r[2], r[3], r[4]) for r in rows)

    def container(
        self, provider: Provider, *, key: str | None = None, id: str | None = None
    ) -> Container | None:
        """The container with this `key` or `id`, or None."""
        for found in self.containers(provider):
            if (key is not None and found.key == key) or (id is not None and found.id == id):
                return found
        return None

    def add_identity(self, identity: Identity) -> Identity:
        """Add (or replace) an access token; its account is added too when the world has none
        of that id (named after the identity, without an email)."""
        with self._write() as db:
            db.execute(
                "INSERT INTO accounts (provider, account_id, display_name, login) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (provider, account_id) DO NOTHING",
                (
                    identity.provider.value,
                    identity.account_id,
                    identity.display_name,
                    identity.display_name if identity.provider is Provider.github else None,
                ),
            )
            db.execute(
                "INSERT INTO identities (provider, token, account_id, display_name) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (provider, token) DO UPDATE SET "
                "account_id = excluded.account_id, display_name = excluded.display_name",
                (
                    identity.provider.value,
                    identity.token,
                    identity.account_id,
                    identity.display_name,
                ),
            )
        return identity

    def identities(self, provider: Provider | None = None) -> list[Identity]:
        """Every identity, optionally of one provider."""
        rows = self._rows(
            "SELECT provider, token, account_id, display_name FROM identities "
            "WHERE provider = :provider OR :provider IS NULL ORDER BY provider, token",
            {"provider": provider.value if provider else None},
        )
        return [Identity(Provider(r[0]), r[1], r[2], r[3]) for r in rows]

    def account_for_token(self, provider: Provider, token: str) -> str | None:
        """The account id acting with `token`, or None for an unknown token."""
        return self._remembered(
            ("account_for_token", provider, token), lambda: self._account_for_token(provider, token)
        )

    def _account_for_token(self, provider: Provider, token: str) -> str | None:
        rows = self._rows(
            "SELECT account_id FROM identities WHERE provider = ? AND token = ?",
            (provider.value, token),
        )
        return str(rows[0][0]) if rows else None

    # -- tickets -----------------------------------------------------------------------------

    def add_tickets(
        self, tickets: Iterable[FakeTicket], *, skip_existing: bool = False, synthetic: bool = False
    ) -> int:
        """Insert tickets in one transaction (executemany) and index them.

        Returns how many were inserted. `skip_existing` ignores tickets whose key or id is
        already taken (seeding is then idempotent); otherwise a duplicate raises the driver's
        integrity error and nothing is inserted.
        """
        scopes = {(c.provider, c.id): i for i, c in self._container_rowids()}
        rows = [(*_ticket_row(ticket, scopes), int(synthetic)) for ticket in tickets]
        marks = ", ".join("?" * (INSERT_COLUMNS.count(",") + 2))
        with self._write() as db:
            before = db.execute("SELECT coalesce(max(rowid), 0) FROM tickets").fetchone()[0]
            if skip_existing:
                db.executemany(
                    f"INSERT INTO tickets ({INSERT_COLUMNS}, synthetic) VALUES ({marks}) "
                    "ON CONFLICT DO NOTHING",
                    rows,
                )
            else:
                # Numbered as the database would number them (a duplicate rolls all back), so
                # PostgreSQL runs no trigger per row: a third of a corpus chunk's time there.
                db.executemany(
                    f"INSERT INTO tickets (rowid, {INSERT_COLUMNS}, synthetic) VALUES (?, {marks})",
                    [(before + n, *row) for n, row in enumerate(rows, 1)],
                )
            after = db.execute("SELECT coalesce(max(rowid), 0) FROM tickets").fetchone()[0]
        self._catch_up_text_index()
        return int(after - before)

    def _container_rowids(self) -> list[tuple[int, Container]]:
        rows = self._rows(
            "SELECT rowid, provider, key, external_id, name, site_url FROM containers"
        )
        return [(r[0], Container(Provider(r[1]), r[2], r[3], r[4], r[5])) for r in rows]

    def ticket(self, provider: Provider, key: str) -> FakeTicket | None:
        """The ticket (tombstones included) with this key, or None."""
        return self._one(
            "t.provider = :provider AND t.key = :key", {"provider": provider.value, "key": key}
        )

    def ticket_by_id(self, provider: Provider, external_id: str) -> FakeTicket | None:
        """The ticket with this provider id, or None."""
        return self._one(
            "t.provider = :provider AND t.external_id = :id",
            {"provider": provider.value, "id": external_id},
        )

    def ticket_by_number(
        self, provider: Provider, container_id: str, number: int
    ) -> FakeTicket | None:
        """The ticket with `number` in the container with provider id `container_id`."""
        return self._one(
            # Resolve the container first so the (container, number) index answers.
            "t.container_rowid = (SELECT rowid FROM containers WHERE provider = :provider "
            "AND external_id = :container) AND t.number = :number",
            {"provider": provider.value, "container": container_id, "number": number},
        )

    def _one(self, where: str, params: dict[str, Any]) -> FakeTicket | None:
        rows = self._rows(f"SELECT {_TICKET_COLUMNS} FROM {_TICKET_FROM} WHERE {where}", params)
        return _ticket(rows[0]) if rows else None

    def tickets(
        self,
        provider: Provider | None = None,
        container_key: str | None = None,
        *,
        limit: int = 50,
        offset: int = 0,
    ) -> list[FakeTicket]:
        """A page of tickets (newest first), optionally of one provider and container."""
        rows = self._rows(
            f"SELECT {_TICKET_COLUMNS} FROM {_TICKET_FROM} "
            "WHERE (t.provider = :provider OR :provider IS NULL) "
            "AND (c.key = :container OR :container IS NULL) "
            "ORDER BY t.rowid DESC LIMIT :limit OFFSET :offset",
            {
                "provider": provider.value if provider else None,
                "container": container_key,
                "limit": limit,
                "offset": offset,
            },
        )
        return [_ticket(row) for row in rows]

    def count_tickets(
        self,
        provider: Provider | None = None,
        container_key: str | None = None,
        *,
        synthetic: bool | None = None,
    ) -> int:
        """How many tickets there are, optionally of one provider and container.

        `synthetic`: True counts only `generate_corpus` tickets, False only the others.
        """
        rows = self._rows(
            f"SELECT count(*) FROM {_TICKET_FROM} "
            "WHERE (t.provider = :provider OR :provider IS NULL) "
            "AND (c.key = :container OR :container IS NULL) "
            "AND (t.synthetic = :synthetic OR :synthetic IS NULL)",
            {
                "provider": provider.value if provider else None,
                "container": container_key,
                "synthetic": None if synthetic is None else int(synthetic),
            },
        )
        return int(rows[0][0])

    def containers_overview(self) -> list[dict[str, Any]]:
        """Every container with its ticket count, JSON-ready (for a dashboard)."""
        rows = self._rows(
            "SELECT c.provider, c.key, c.external_id, c.name, c.site_url, count(t.rowid) "
            "FROM containers c LEFT JOIN tickets t ON t.container_rowid = c.rowid "
            "GROUP BY c.rowid, c.provider, c.key, c.external_id, c.name, c.site_url ORDER BY c.rowid"
        )
        return [
            {
                "provider": r[0],
                "key": r[1],
                "id": r[2],
                "name": r[3],
                "site_url": r[4],
                "ticket_count": r[5],
            }
            for r in rows
        ]

    def tickets_overview(
        self, *, container: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        """The newest tickets (optionally of the container with key `container`), JSON-ready."""
        return [
            t.overview() for t in self.tickets(container_key=container, limit=limit, offset=offset)
        ]

    def status_writes(self, provider: Provider, key: str | None = None) -> list[dict[str, str]]:
        """The logged status writes, oldest first: account, status and when (of one key)."""
        rows = self._rows(
            "SELECT key, account_id, status_name, status_category, at FROM status_writes "
            "WHERE provider = :provider AND (key = :key OR :key IS NULL) ORDER BY seq",
            {"provider": provider.value, "key": key},
        )
        names = ("key", "account_id", "status_name", "status_category", "at")
        return [dict(zip(names, row, strict=True)) for row in rows]

    def next_number(self, provider: Provider, container_id: str) -> int:
        """The next free ticket number in a container."""
        rows = self._rows(
            "SELECT coalesce(max(t.number), 0) + 1 FROM tickets t JOIN containers c "
            "ON c.rowid = t.container_rowid WHERE c.provider = ? AND c.external_id = ?",
            (provider.value, container_id),
        )
        return int(rows[0][0])


def _ticket_row(ticket: FakeTicket, scopes: dict[tuple[Provider, str], int]) -> tuple[Any, ...]:
    container_rowid = scopes.get((ticket.provider, ticket.container_id))
    if container_rowid is None:
        raise KeyError(f"unknown {ticket.provider} container {ticket.container_id!r}")
    return ticket_row(ticket, container_rowid)


_ticket = ticket_from_row


def _utc_now() -> datetime:
    return datetime.now(UTC)
