"""The overlay's SQLite side: a small file (or memory) with the base world ATTACHed read-only,
whose connection carries the views and copy-on-write triggers of `overlay_schema`, so every
`TrackerWorld` statement runs on it unchanged (`OverlayWorld` is the world over it).

SQLite gives a statement on a view neither `lastrowid` nor `rowcount`, and `INSERT ... RETURNING`
on a view returns nothing: `OverlayConnection` reports what its triggers did instead.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kitty_mock_saas.store.sqlite import SqliteStore

from .overlay_schema import (
    INDEXED_TABLE,
    INSERTED_FUNCTION,
    LOCAL_TABLES,
    OVERLAID_TABLES,
    OverlaidTable,
    own_table,
    read_table,
    sqlite_ddl,
)

__all__ = ["OverlayConnection", "OverlayStore", "open_overlay"]

MEMORY = ":memory:"
# The name the base world is ATTACHed under.
BASE_SCHEMA = "base"
_PAGE_SIZE = 1024
_BUSY_TIMEOUT_MS = 5_000
_WAL_PAGES = 64
OWN_TICKETS = own_table(INDEXED_TABLE)
_INSERT_RETURNING = re.compile(
    r"^\s*(INSERT\s+INTO\s+(\w+)\b.*?)\s+RETURNING\s+(.+?)\s*;?\s*$", re.IGNORECASE | re.DOTALL
)


class OverlayCursor(sqlite3.Cursor):
    """A cursor that reports what the overlay's triggers did: SQLite itself gives a statement on
    a view neither its new rowid nor its row count."""

    overlay_rowid: int | None = None
    overlay_rows: int = 0

    @property
    def lastrowid(self) -> int | None:
        return self.overlay_rowid if self.overlay_rowid is not None else super().lastrowid

    @property
    def rowcount(self) -> int:
        return self.overlay_rows or super().rowcount


class OverlayConnection(sqlite3.Connection):
    """The overlay's connection: a plain sqlite3 connection whose statements on the views report
    `lastrowid` and `rowcount` as they would on a table, and whose `INSERT ... RETURNING` on a
    view returns the inserted rows (SQLite would give the view's NEW values, without the key)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rows = 0
        self._rowids: list[int] = []
        # Table -> its integer key, for the views a RETURNING can read back from.
        self.overlay_keys: dict[str, str] = {}
        self.overlay_tables: dict[str, OverlaidTable] = {}
        self.create_function(INSERTED_FUNCTION, 1, self._touched)

    def _touched(self, rowid: int | None) -> None:
        self._rows += 1
        if rowid is not None:
            self._rowids.append(rowid)

    def execute(self, sql: str, parameters: Any = (), /) -> OverlayCursor:
        returning = _INSERT_RETURNING.match(sql)
        if returning is not None and returning.group(2) in self.overlay_keys:
            return self._insert_returning(returning, parameters)
        return self._run(lambda cursor: cursor.execute(sql, parameters))

    def executemany(self, sql: str, parameters: Any, /) -> OverlayCursor:
        return self._run(lambda cursor: cursor.executemany(sql, parameters))

    def _run(self, run: Callable[[OverlayCursor], object]) -> OverlayCursor:
        cursor = self.cursor(OverlayCursor)
        self._rows, self._rowids = 0, []
        run(cursor)
        cursor.overlay_rows = self._rows
        cursor.overlay_rowid = self._rowids[-1] if self._rowids else None
        return cursor

    def _insert_returning(self, found: re.Match[str], parameters: Any) -> OverlayCursor:
        statement, table, columns = found.groups()
        self._run(lambda cursor: cursor.execute(statement, parameters))
        inserted = json.dumps(self._rowids)  # before the next statement resets them
        key = self.overlay_keys[table]
        return self._run(
            lambda cursor: cursor.execute(
                f'SELECT {columns} FROM "{table}" WHERE "{key}" IN '
                f'(SELECT value FROM json_each(?)) ORDER BY "{key}"',
                (inserted,),
            )
        )


def open_overlay(
    path: str, base_location: str, *, busy_timeout_ms: int = _BUSY_TIMEOUT_MS
) -> OverlayConnection:
    """A connection to the overlay at `path` (created on first use) over the base world at
    `base_location` (a file, attached read-only, or a shared-cache memory URI)."""
    if path != MEMORY:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(
        path,
        factory=OverlayConnection,
        uri=True,
        check_same_thread=False,
        isolation_level=None,
        timeout=busy_timeout_ms / 1000,
    )
    assert isinstance(db, OverlayConnection)
    db.row_factory = sqlite3.Row
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    if path != MEMORY:
        # An overlay holds a few rows: small pages (only a new file takes them), and a WAL
        # checkpointed and cut back often, so sixty-four of them stay small on disk.
        db.execute(f"PRAGMA page_size = {_PAGE_SIZE}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute(f"PRAGMA wal_autocheckpoint = {_WAL_PAGES}")
        db.execute(f"PRAGMA journal_size_limit = {_PAGE_SIZE * _WAL_PAGES}")
    if base_location.startswith("file:"):
        attach = base_location  # a shared-cache memory database of this process
    else:
        attach = f"{Path(base_location).resolve().as_uri()}?mode=ro"
    db.execute(f"ATTACH DATABASE ? AS {BASE_SCHEMA}", (attach,))
    tables = [read_table(db, BASE_SCHEMA, name) for name in OVERLAID_TABLES]
    db.execute("BEGIN IMMEDIATE")
    try:
        for name in LOCAL_TABLES:
            _create_local(db, name)
        for table in tables:
            persistent, _ = sqlite_ddl(table, base=BASE_SCHEMA)
            for statement in persistent:
                db.execute(statement)
            _add_new_columns(db, table)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    if path != MEMORY:
        db.execute("PRAGMA main.wal_checkpoint(TRUNCATE)")
    for table in tables:
        for statement in sqlite_ddl(table, base=BASE_SCHEMA)[1]:
            db.execute(statement)
        if table.integer_key is not None:
            db.overlay_keys[table.name] = table.integer_key
        db.overlay_tables[table.name] = table
    return db


def _create_local(db: sqlite3.Connection, name: str) -> None:
    """The world's bookkeeping table `name`, as the base declares it, in the overlay."""
    if db.execute("SELECT 1 FROM main.sqlite_master WHERE name = ?", (name,)).fetchone():
        return
    row = db.execute(
        f"SELECT sql FROM {BASE_SCHEMA}.sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    if row is None:
        raise LookupError(f"the base world has no table {name!r}")
    db.execute(str(row[0]))  # unqualified: created in the overlay file (main)


def _add_new_columns(db: sqlite3.Connection, table: OverlaidTable) -> None:
    """Columns the base gained since the overlay was made (nullable: old own rows lack them)."""
    have = {row[1] for row in db.execute(f'PRAGMA main.table_info("{own_table(table.name)}")')}
    for column in table.columns:
        if column.name not in have:
            collate = f" COLLATE {column.collation}" if column.collation else ""
            default = f" DEFAULT {column.default}" if column.default is not None else ""
            db.execute(
                f'ALTER TABLE main."{own_table(table.name)}" ADD COLUMN "{column.name}" '
                f"{column.type}{collate}{default}"
            )


class OverlayStore(SqliteStore):
    """The SQLite store of an overlay world: each of its connections is an `OverlayConnection`
    over the base store's database; its data version moves with both."""

    def __init__(self, path: str, *, base: SqliteStore) -> None:
        self._base_location = base.location
        super().__init__(path, busy_timeout_ms=_BUSY_TIMEOUT_MS)
        if base.location.startswith("file:"):
            # A shared-cache memory base answers "table is locked" instead of waiting: the
            # overlay's connection takes the base store's lock, so the two never overlap.
            self._lock = self._read_lock = base._lock
        conn = self._conn
        assert isinstance(conn, OverlayConnection)
        self.tables = conn.overlay_tables

    def _connect(self, busy_timeout_ms: int) -> sqlite3.Connection:
        return open_overlay(self.path, self._base_location, busy_timeout_ms=busy_timeout_ms)

    def _data_version_now(self) -> int:
        own = int(self._reader.execute("PRAGMA main.data_version").fetchone()[0])
        base = int(self._reader.execute(f"PRAGMA {BASE_SCHEMA}.data_version").fetchone()[0])
        return (own << 32) | base
