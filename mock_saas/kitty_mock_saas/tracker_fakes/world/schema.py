"""Where a tracker world lives and how its tables come to be.

A world is an SQLite file (or ":memory:"), or a schema (`kitty_world`) of a PostgreSQL database
given by its `postgresql://` URL. Its tables are the store's migrations
(`kitty_mock_saas/migrations/world/<dialect>/`), applied when the world is opened. A world file
of the release before migrations (its tables without a ledger) is adopted: it gains the columns
that release added on opening (`COLUMNS_ADDED`), then the first migration, which creates only what
is missing, is recorded as applied.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kitty_mock_saas.store.migrations import (
    Migration,
    MigrationStatus,
    migrations_for,
    status,
    upgrade,
)
from kitty_mock_saas.store.postgres import PostgresStore, is_postgres_url, lock_key
from kitty_mock_saas.store.sqlite import SqliteStore

__all__ = [
    "COLUMNS_ADDED",
    "WORLD_SCHEMA",
    "WorldStore",
    "one_at_a_time",
    "open_world_store",
    "upgrade_world",
    "world_migration_status",
]

WorldStore = SqliteStore | PostgresStore
# The PostgreSQL schema of the mock's own world (sandboxes' worlds have their own).
WORLD_SCHEMA = "kitty_world"
# Another process of a world file holds its write lock for a short transaction at most.
_BUSY_TIMEOUT_MS = 5_000

# (table, column, declaration) the release before migrations added to a world file when it
# opened an older one; an adopted file may still lack them.
COLUMNS_ADDED = (
    ("tickets", "synthetic", "INTEGER NOT NULL DEFAULT 0"),
    ("tickets", "labels", "TEXT NOT NULL DEFAULT '[]'"),
    ("tickets", "assignee", "TEXT"),
    ("tickets", "reporter", "TEXT"),
    ("tickets", "priority", "INTEGER"),
    ("tickets", "parent_key", "TEXT"),
    ("tickets", "written", "INTEGER NOT NULL DEFAULT 0"),
    ("ticket_originals", "labels", "TEXT NOT NULL DEFAULT '[]'"),
    ("ticket_originals", "assignee", "TEXT"),
    ("ticket_originals", "reporter", "TEXT"),
    ("ticket_originals", "priority", "INTEGER"),
    ("ticket_originals", "parent_key", "TEXT"),
)


def open_world_store(
    location: str,
    *,
    schema: str = WORLD_SCHEMA,
    connect_timeout: float = 3.0,
    statement_timeout: float | None = None,
) -> WorldStore:
    """The store of the world at `location`: a `postgresql://` URL (the world in `schema`, each
    statement cut after `statement_timeout` seconds if given), an SQLite file, or ":memory:";
    not yet upgraded (`upgrade_world`)."""
    if is_postgres_url(location):
        return PostgresStore(
            location,
            schema=schema,
            connect_timeout=connect_timeout,
            statement_timeout=statement_timeout,
        )
    return SqliteStore(location, busy_timeout_ms=_BUSY_TIMEOUT_MS)


def upgrade_world(store: WorldStore, *, where: str, now: str) -> list[Migration]:
    """Bring the world's tables to this mock's schema (adopting a world file of the release
    before migrations); returns the migrations applied."""
    if isinstance(store, SqliteStore):
        _adopt_unversioned(store)
    return upgrade(store, migrations_for("world", store.dialect), where=where, now=now)


def world_migration_status(store: WorldStore, *, where: str) -> MigrationStatus:
    """What is applied and pending (refuses a world a newer mock upgraded). A world file
    without a ledger (new, or of the release before migrations) has nothing applied and is left
    as it is: a ledger of its own would keep `upgrade_world` from adopting it."""
    known = migrations_for("world", store.dialect)
    if isinstance(store, SqliteStore) and not _has_ledger(store):
        return MigrationStatus([], known)
    return status(store, known, where=where)


def _has_ledger(store: SqliteStore) -> bool:
    with store.read() as db:
        found = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
    return found is not None


@contextmanager
def one_at_a_time(store: WorldStore) -> Iterator[None]:
    """Held by one process of all that share the world at a time, across many transactions:
    on PostgreSQL a session's advisory lock, so replicas starting together seed the world and
    grow its corpus once, one after the other. An SQLite world needs none: `serve` sets it up
    before it starts its worker processes."""
    if isinstance(store, SqliteStore):
        yield
        return
    import psycopg  # the PostgreSQL store's driver, there when such a store is

    with psycopg.connect(store.url, autocommit=True) as held:
        held.execute("SELECT pg_advisory_lock(%s)", (lock_key(f"{store.schema}/setup"),))
        yield  # the lock goes with the connection


def _adopt_unversioned(store: SqliteStore) -> None:
    """A world file without a migration ledger gains the columns its release added."""
    with store.write() as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if "schema_migrations" in tables:
            return
        for table, column, declaration in COLUMNS_ADDED:
            if table in tables:
                have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
                if column not in have:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
