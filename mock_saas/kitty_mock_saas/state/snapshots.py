"""Reset to the seeded state, and named snapshots of the state to restore later.

On SQLite, a snapshot is a SQLite file beside the state file (`<state>.snapshots/<name>.sqlite`;
a temporary directory for an in-memory state), written with SQLite's online backup API and listed
in the `snapshots` table, so every worker process sees it. Saving reads the state on a connection
of its own, so other requests go on reading and writing meanwhile; restoring copies the tables
back inside SQLite in one write transaction (readers go on; writers wait for it, as for any
write). No row passes through Python either way, so memory stays flat. On PostgreSQL a snapshot
is kept in the database itself (`snapshot_rows`), so every replica restores the same one. The
journal and the faults are not part of a snapshot: restoring one puts the data back, not the
history of how it was reached. A reset clears all three.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kitty_mock_saas.fixtures import Fixtures
from kitty_mock_saas.ids import utc_now
from kitty_mock_saas.store import Connection, Row

from . import directory, snapshot_rows
from .db import Database, PostgresState, SqliteState

MEMORY = ":memory:"

# What a client can change or read through the contract (the seed included).
STATE_TABLES = (
    "teams",
    "team_origin_providers",
    "users",
    "memberships",
    "user_links",
    "resource_mappings",
    "origin_links",
    "idempotency_records",
    "operations",
    "events",
    "event_receipts",
    "dossier_artifacts",
)
MAX_SNAPSHOTS = 64


class SnapshotNotFound(LookupError):
    pass


class TooManySnapshots(RuntimeError):
    pass


def reset(db: Database, fixtures: Fixtures) -> None:
    """Every state table, the journal and the faults as on first start; snapshots stay."""
    with db.write() as conn:
        for table in (*STATE_TABLES, "request_log", "faults"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("DELETE FROM meta WHERE key = ?", (directory.SEEDED_KEY,))
    directory.seed(db, fixtures)


def save(db: Database, name: str) -> dict[str, Any]:
    """Keep the state under `name` (replacing a snapshot of that name).

    Raises:
        TooManySnapshots: there are `MAX_SNAPSHOTS` others already.
    """
    if isinstance(db, PostgresState):
        return snapshot_rows.save(db, name, STATE_TABLES, _check_room)
    folder = db.snapshot_dir()
    with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{name}.", delete=False) as handle:
        partial = Path(handle.name)  # unique: two saves of one name never share a file
    target = folder / f"{name}.sqlite"
    now = utc_now()
    row = (name, now, json.dumps({"file": target.name}))
    try:
        if db.path == MEMORY:
            # No second connection sees an in-memory database: copy under the process lock.
            # (One lock for both: no request comes between the copy and its listing.)
            with db.read() as conn:
                _check_room(conn, name)
                _backup(conn, partial)  # outside a transaction: SQLite copies committed pages
                with db.write() as same:
                    os.replace(partial, target)
                    same.execute("INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?)", row)
        else:
            # A connection of its own: the copy is one consistent read of the WAL that neither
            # waits for this process's requests nor makes them wait.
            with _own_connection(db) as conn:
                _check_room(conn, name)
                _backup(conn, partial)
                conn.execute("BEGIN IMMEDIATE")
                try:
                    _check_room(conn, name)
                    os.replace(partial, target)
                    conn.execute("INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?)", row)
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
    finally:
        partial.unlink(missing_ok=True)
    return {"name": name, "created_at": now}


def _check_room(conn: Connection, name: str) -> None:
    count = conn.execute("SELECT count(*) FROM snapshots WHERE name != ?", (name,)).fetchone()
    if count[0] >= MAX_SNAPSHOTS:
        raise TooManySnapshots(f"at most {MAX_SNAPSHOTS} snapshots; delete one first")


def _backup(conn: sqlite3.Connection, path: Path) -> None:
    copy = sqlite3.connect(path)
    try:
        conn.backup(copy)  # one step, inside SQLite (the GIL released)
    finally:
        copy.close()


@contextmanager
def _own_connection(db: SqliteState) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(db.path, isolation_level=None, timeout=30, check_same_thread=False)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        yield conn
    finally:
        conn.close()


def restore(db: Database, name: str) -> dict[str, Any]:
    """Put the state back as `name` saved it.

    Raises:
        SnapshotNotFound: there is no snapshot of that name (or its file is gone).
    """
    if isinstance(db, PostgresState):
        restored = snapshot_rows.restore(db, name, STATE_TABLES)
        if restored is None:
            raise SnapshotNotFound(name)
        return restored
    with db.read() as conn:
        row = conn.execute(
            "SELECT name, created_at, data FROM snapshots WHERE name = ?", (name,)
        ).fetchone()
    saved = _file_of(db, row)
    if saved is None:
        raise SnapshotNotFound(name)
    if db.path == MEMORY:
        with db.read() as conn:
            _attach(conn, saved)
            try:
                with db.write() as same:
                    _copy_tables(same)
            finally:
                conn.execute("DETACH DATABASE saved")
    else:
        # A connection of its own: this process's readers go on until the commit.
        with _own_connection(db) as target:
            _attach(target, saved)
            target.execute("BEGIN IMMEDIATE")
            try:
                _copy_tables(target)
            except BaseException:
                target.execute("ROLLBACK")
                raise
            target.execute("COMMIT")
    return {"name": row["name"], "created_at": row["created_at"]}


def _file_of(db: SqliteState, row: Row | None) -> Path | None:
    if row is None:
        return None
    try:
        file_name = json.loads(row["data"]).get("file")
    except (ValueError, AttributeError):
        return None  # a snapshot of an older mock (rows as JSON): save it again
    if not isinstance(file_name, str):
        return None
    path = db.snapshot_dir() / file_name
    return path if path.is_file() else None


def _attach(conn: sqlite3.Connection, saved: Path) -> None:
    conn.execute("ATTACH DATABASE ? AS saved", (str(saved),))


def _copy_tables(conn: sqlite3.Connection) -> None:
    """Every state table of `main` as the attached `saved` has it (inside SQLite)."""
    for table in STATE_TABLES:
        columns = ", ".join(row[1] for row in conn.execute(f"PRAGMA main.table_info({table})"))
        conn.execute(f"DELETE FROM main.{table}")
        conn.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM saved.{table}")


def listed(db: Database) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute("SELECT name, created_at FROM snapshots ORDER BY created_at, name")
        return [dict(r) for r in rows.fetchall()]


def delete(db: Database, name: str) -> None:
    """Raises: SnapshotNotFound."""
    if isinstance(db, PostgresState):
        if not snapshot_rows.delete(db, name):
            raise SnapshotNotFound(name)
        return
    with db.write() as conn:
        row = conn.execute("SELECT name, data FROM snapshots WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise SnapshotNotFound(name)
        conn.execute("DELETE FROM snapshots WHERE name = ?", (name,))
    saved = _file_of(db, row)
    if saved is not None:
        saved.unlink(missing_ok=True)
