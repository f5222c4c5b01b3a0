"""`TrackerWorld`: the one ticket store behind every provider fake, in SQLite or PostgreSQL.

A file path lets several processes (e.g. two uvicorn workers) share one world: WAL mode,
a busy timeout and short transactions. ":memory:" gives a private world for tests. A
`postgresql://` URL lets replicas on several machines share one (`schema.py`).
Free text goes to a tantivy index (`TicketTextIndex`), which returns the best rowids of one
container in well under a millisecond at 1,000,000 tickets; the database then loads just those
rows. The database commits first and the index catches up from its highest rowid and the
`text_changes` log, so a crash in between only delays indexing until the next write or start.
An SQLite file's index lies beside it, shared by its processes. On PostgreSQL each process keeps
its own in memory and, before a search, catches up with what other replicas committed since it
last looked (the store's version says whether anything did); the log is trimmed once old, and a
replica that fell behind the trim rebuilds its index (`text_log.py`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from kitty_contracts import Provider

from kitty_mock_saas.store import Connection, Dialect
from kitty_mock_saas.store.postgres import PostgresStore
from kitty_mock_saas.store.sqlite import MEMORY, SqliteStore

from .comments import Comments
from .creation import TicketCreation
from .edits import INDEX_COLUMNS, TicketEdits, indexed_ticket
from .events import TicketEvents
from .labels import Labels
from .links import Links
from .models import Container, FakeTicket, Identity, SearchHits
from .rows import INSERT_COLUMNS, TICKET_COLUMNS, TICKET_FROM, ticket_from_row, ticket_row
from .schema import WorldStore, one_at_a_time, open_world_store, upgrade_world
from .text_index import (
    IndexedTicket,
    TicketTextIndex,
    matches_every_word,
    namespace,
    query_words,
)
from .text_log import SharedTextLog, TextLogRetention, TrimmedPast

__all__ = ["SearchField", "TextLogRetention", "TrackerWorld"]
T = TypeVar("T")

SearchField = Literal["all", "title"]

_TICKET_COLUMNS = TICKET_COLUMNS
_TICKET_FROM = TICKET_FROM
_INDEX_BATCH = 10_000


class TrackerWorld(TicketEdits, TicketCreation, Comments, Labels, TicketEvents, Links):
    """The shared ticket store. Open one per process; every method is thread-safe.

    Usage::

        world = TrackerWorld("/tmp/world.sqlite")   # or TrackerWorld() for ":memory:"
        seed_default_world(world)
        hits = world.search(Provider.linear, team_uuid, "Clerk auth", account_id="lin-alice")
    """

    # The `text_changes` log every replica of a PostgreSQL world applies; None on SQLite.
    _shared_log: SharedTextLog | None = None

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

    # -- the text index ------------------------------------------------------------------------

    def _catch_up_text_index(self) -> None:
        """Index every ticket the database has and the text index does not yet, then every
        ticket changed (edited, deleted, created and then reset away) since the last
        `text_changes` entry the index applied: at start-up this repairs what a crash between
        the database's commit and the index's left; on PostgreSQL it also brings in what other
        replicas wrote."""
        with self._lock:
            if self._sole_index:
                # Another process's reset may have dropped documents this searcher still sees.
                self._see_other_writers()
            # Read before the index catches up: a commit after this point changes it again.
            version = self._store.data_version(fresh=True)
            shared = self._shared_log
            with self._store.read() as db:
                newest = db.execute("SELECT coalesce(max(rowid), 0) FROM tickets").fetchone()[0]
                last_change = db.execute(
                    shared.END if shared else "SELECT coalesce(max(seq), 0) FROM text_changes"
                ).fetchone()[0]
            try:
                added, changed = self._index_tickets_and_log(newest, last_change)
            except TrimmedPast:
                # The log lost entries this replica's index never applied: a new index, built
                # from the tickets as they are now, misses none of them.
                self._text = TicketTextIndex(None)
                added, changed = self._index_tickets_and_log(newest, last_change)
            if (added or changed) and self._sole_index:
                self._index_committed()
                version = self._store.data_version(fresh=True)
            self._data_version = version
            if shared is not None and isinstance(self._store, PostgresStore):
                shared.trim_when_due(self._store, self.clock())

    def _index_tickets_and_log(self, newest: int, last_change: int) -> tuple[int, int]:
        """Index the tickets above the index's highest rowid (up to at least `newest`), then
        apply the log up to at least `last_change`; how many tickets each step touched."""
        # A new private index reads every ticket as it is now, the log's changes included.
        fresh = not self._sole_index and self._text.indexed_through() == 0
        added = changed = 0
        if newest > self._text.indexed_through():
            added = self._text.add(self._unindexed)
        if last_change > self._text.changes_through():
            changed = self._text.apply_changes(
                (lambda _floor: (last_change, [], [])) if fresh else self._changed_since
            )
        return added, changed

    def _index_committed(self) -> None:
        """Tell the world the (shared, file-backed) text index committed."""
        with self._write() as db:
            # Other processes of this world see a new data_version and reload the index.
            db.execute(
                "INSERT INTO text_index_commits (id, generation) VALUES (1, 1) "
                "ON CONFLICT (id) DO UPDATE SET generation = generation + 1"
            )
            # Applied: the log keeps only what the index has not seen. (Replicas keep it all:
            # each applies it to its own index at its own pace.)
            db.execute("DELETE FROM text_changes WHERE seq <= ?", (self._text.changes_through(),))

    def _changed_since(self, floor: int) -> tuple[int, list[int], list[IndexedTicket]]:
        """The log's last entry, the rowids changed after `floor` up to it, and the documents
        of those still in the database (a rowid without one was reset away)."""
        through = self._rows("SELECT coalesce(max(seq), ?) FROM text_changes", (floor,))[0][0]
        changed = [
            int(r[0])
            for r in self._rows(
                "SELECT DISTINCT ticket_rowid FROM text_changes WHERE seq > ? AND seq <= ?",
                (floor, through),
            )
        ]
        rows = self._rows(
            f"SELECT {INDEX_COLUMNS} FROM tickets WHERE rowid IN "
            "(SELECT DISTINCT ticket_rowid FROM text_changes WHERE seq > ? AND seq <= ?)",
            (floor, through),
        )
        # Read last: a trim committed before the reads above is seen here.
        if self._shared_log is not None:
            with self._store.read() as db:
                if self._shared_log.trimmed_through(db) > floor:
                    raise TrimmedPast
        return int(through), changed, [indexed_ticket(r) for r in rows]

    def _unindexed(self, floor: int) -> Iterator[list[IndexedTicket]]:
        """The tickets above rowid `floor`, a batch at a time (each batch its own read, so
        neither backend holds a cursor over the whole table)."""
        progress = self._index_progress
        total = done = 0
        if progress is not None:
            total = self._rows("SELECT count(*) FROM tickets WHERE rowid > ?", (floor,))[0][0]
        while rows := self._rows(
            f"SELECT {INDEX_COLUMNS} FROM tickets WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (floor, _INDEX_BATCH),
        ):
            yield [indexed_ticket(r) for r in rows]
            floor = rows[-1][0]
            done += len(rows)
            if progress is not None:
                progress(done, total)

    def _see_other_writers(self) -> None:
        """Bring the text index up to what others committed since we last looked: reload the
        shared index (its writer indexed it), or catch a private one up from the database."""
        version = self._store.data_version()
        if version != self._data_version:
            if self._sole_index:
                self._data_version = version
                self._text.refresh()
            else:
                self._catch_up_text_index()

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
            "GROUP BY c.rowid ORDER BY c.rowid"
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

    # -- search ----------------------------------------------------------------------------

    def search(
        self,
        provider: Provider,
        container_id: str | None,
        text: str,
        *,
        account_id: str,
        limit: int,
        offset: int = 0,
        field: SearchField = "all",
        pull_requests: bool | None = False,
    ) -> SearchHits:
        """Tickets of one container (None: every container of `provider`) matching every
        word of `text`, best (BM25, the title weighing ten times the body) first.

        Deleted and transferred tickets never match; tickets restricted away from
        `account_id` are invisible. `pull_requests`: False issues only, True only pull
        requests, None both.
        """
        words = query_words(text)
        with self._lock:
            rowids = self._container_rowids_of(provider, container_id)
            kinds = [False, True] if pull_requests is None else [pull_requests]
            namespaces = [namespace(r, pull_request=kind) for r in rowids for kind in kinds]
            self._see_other_writers()
            query = self._text.query(words, namespaces, "text" if field == "all" else "title")
            if query is None:
                return SearchHits(tickets=[], total=0)
            # Restricted tickets are few: those hidden from this account are matched here, so
            # the index's count and pages can leave them out.
            invisible = {
                rowid
                for rowid, title, body in self._hidden_from(account_id, rowids, pull_requests)
                if matches_every_word(words, title, body if field == "all" else None)
            }
            wanted = offset + limit
            fetch = max(wanted, 1)
            while True:
                rowids, total = self._text.top(query, fetch)
                visible = [rowid for rowid in rowids if rowid not in invisible]
                if len(visible) >= wanted or len(rowids) < fetch:
                    break
                fetch += len(rowids) - len(visible)
            page = visible[offset:wanted]
            by_rowid = {
                row[0]: _ticket(row[1:]) for row in self._rows(self._sql.hits, (json.dumps(page),))
            }
        return SearchHits(tickets=[by_rowid[r] for r in page], total=total - len(invisible))

    def _container_rowids_of(self, provider: Provider, container_id: str | None) -> list[int]:
        return list(
            self._remembered(
                ("container_rowids", provider, container_id),
                lambda: self._read_container_rowids(provider, container_id),
            )
        )

    def _read_container_rowids(
        self, provider: Provider, container_id: str | None
    ) -> tuple[int, ...]:
        rows = self._rows(
            "SELECT rowid FROM containers WHERE provider = :provider "
            "AND (external_id = :container OR :container IS NULL) ORDER BY rowid",
            {"provider": provider.value, "container": container_id},
        )
        return tuple(row[0] for row in rows)

    def _hidden_from(
        self, account_id: str, container_rowids: list[int], pull_requests: bool | None
    ) -> tuple[tuple[int, str, str | None], ...]:
        """The searchable tickets of these containers restricted away from `account_id`."""
        return self._remembered(
            ("hidden_from", account_id, tuple(container_rowids), pull_requests),
            lambda: self._read_hidden_from(account_id, container_rowids, pull_requests),
        )

    def _read_hidden_from(
        self, account_id: str, container_rowids: list[int], pull_requests: bool | None
    ) -> tuple[tuple[int, str, str | None], ...]:
        rows = self._rows(
            self._sql.hidden,
            {
                "containers": json.dumps(container_rowids),
                "account": account_id,
                "prs": None if pull_requests is None else int(pull_requests),
            },
        )
        return tuple(rows)


class _SearchSql:
    """The search's statements that need the dialect, spelled once per world."""

    def __init__(self, dialect: Dialect) -> None:
        self.hits = (
            f"SELECT t.rowid, {_TICKET_COLUMNS} FROM {_TICKET_FROM} WHERE "
            + dialect.in_json_list("t.rowid", "?", integers=True)
        )
        # The searchable restricted tickets of some containers hidden from one account.
        self.hidden = (
            "SELECT t.rowid, t.title, t.body_markdown FROM tickets t WHERE "
            + dialect.in_json_list("t.container_rowid", ":containers", integers=True)
            + " AND t.restricted_to IS NOT NULL AND t.deleted = 0 AND t.transferred_to IS NULL "
            "AND (t.is_pull_request = :prs OR :prs IS NULL) AND NOT "
            + dialect.json_array_has("t.restricted_to", ":account")
        )


def _ticket_row(ticket: FakeTicket, scopes: dict[tuple[Provider, str], int]) -> tuple[Any, ...]:
    container_rowid = scopes.get((ticket.provider, ticket.container_id))
    if container_rowid is None:
        raise KeyError(f"unknown {ticket.provider} container {ticket.container_id!r}")
    return ticket_row(ticket, container_rowid)


_ticket = ticket_from_row


def _utc_now() -> datetime:
    return datetime.now(UTC)
