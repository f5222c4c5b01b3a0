"""A store in an SQLite file (or in memory): the embedded default.

Per process, a writing connection and (for a file) a reading one, each behind its own lock
(FastAPI runs sync code in a thread pool). Writes use `BEGIN IMMEDIATE` so rules such as "one
origin per mission" hold across worker processes that share the file; WAL lets readers go on
meanwhile, also while a write waits for another process's lock. Inside its own write a thread
reads through the writing connection, so it sees what it wrote. An in-memory store has one
connection for both.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from kitty_mock_saas.read_memo import ReadMemo

from .dialect import SQLITE, Dialect

T = TypeVar("T")
MEMORY = ":memory:"


class SqliteStore:
    """One SQLite database; every method is thread-safe."""

    dialect: Dialect = SQLITE

    def __init__(self, path: str, *, busy_timeout_ms: int = 30_000) -> None:
        self.path = path
        # Where SQLite opens it: in memory, a named shared-cache database, so that another
        # connection (a sandbox's overlay world) can attach it.
        self.location = (
            f"file:kitty-memory-{uuid.uuid4().hex}?mode=memory&cache=shared"
            if path == MEMORY
            else path
        )
        if path != MEMORY:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = self._connect(busy_timeout_ms)
        if path != MEMORY:
            self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = NORMAL")
        self._reader = self._conn
        self._read_lock = self._lock
        if path != MEMORY:
            self._reader = self._connect(busy_timeout_ms)
            self._reader.execute("PRAGMA query_only = 1")
            self._read_lock = threading.RLock()
        # The thread inside `write()`, if any: its reads go through the writing connection.
        self._writer: int | None = None
        self._memo = ReadMemo(self._data_version_now)

    def _data_version_now(self) -> int:
        return int(self._reader.execute("PRAGMA data_version").fetchone()[0])

    def _connect(self, busy_timeout_ms: int) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.location,
            uri=True,
            check_same_thread=False,
            isolation_level=None,
            timeout=busy_timeout_ms / 1000,
        )
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        return conn

    @property
    def connection(self) -> sqlite3.Connection:
        """The writing connection, for what only SQLite has (backups, pragmas); hold no lock
        of this store's while using it from another thread."""
        return self._conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, serialized across threads and processes."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            self._writer = threading.get_ident()
            try:
                yield self._conn
            except BaseException:
                self._writer = None
                self._conn.execute("ROLLBACK")
                self._memo.committed()
                raise
            self._writer = None
            try:
                self._conn.execute("COMMIT")
            finally:
                self._memo.committed()

    def read(self) -> _Reading:
        """A consistent read (autocommit statements on the reading connection, under its lock);
        inside this thread's own write, through the writing connection."""
        if self._writer == threading.get_ident():
            return _Reading(self._lock, self._conn)
        return _Reading(self._read_lock, self._reader)

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` (a read of this database), remembered until the database changes: a
        commit here, or by another connection or worker process (`ReadMemo`). Callers must
        treat the value as read-only. Inside a write nothing is remembered (it may roll back)."""
        if self._writer == threading.get_ident():
            return compute()
        with self._read_lock:
            return self._memo.get(key, compute)

    def data_version(self, *, fresh: bool = False) -> int:
        """A number that changes when another connection commits to the database (this
        store's writing one too, for a file); inside a request scope, what the read memo saw
        first (`ReadMemo`), unless `fresh`."""
        with self._read_lock:
            return self._data_version_now() if fresh else self._memo.data_version()

    def close(self) -> None:
        with self._lock, self._read_lock:
            self._conn.close()
            if self._reader is not self._conn:
                self._reader.close()


class _Reading:
    """`SqliteStore.read()`: a connection under its lock (a plain class: a generator-based
    context manager costs a lookup by key as much again)."""

    __slots__ = ("_conn", "_lock")

    def __init__(self, lock: threading.RLock, conn: sqlite3.Connection) -> None:
        self._lock = lock
        self._conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self._lock.acquire()
        return self._conn

    def __exit__(self, *exc: object) -> None:
        self._lock.release()
