"""A store on PostgreSQL (psycopg 3, synchronous: the mock's state code runs in FastAPI's thread
pool, like the SQLite store it stands beside).

The statements are the ones the SQLite store runs: `PostgresConnection` (`postgres_adapter`)
turns their `?` and `:name` placeholders into psycopg's and gives rows that index by position and
by name. Ints and bools go to the server untyped, as strings do, so the server types them from
their column the way SQLite's affinity does.

Per process and store, a writing connection and a reading one, each behind its own lock. Every
write transaction first takes the store's advisory lock: writers of one store are serialized
across processes and replicas exactly as SQLite's `BEGIN IMMEDIATE` serializes them, so a rule
such as "one origin per mission" is checked and written without a race, by the same code. Each
store's tables live in its own schema (`search_path`); a `store_version` row, bumped by every
write, tells the read memo of every replica that the store changed. Every wait for the server
has a deadline of the store's own (`postgres_wait`): a hung server costs a call a few seconds.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, TypeVar

from kitty_mock_saas.read_memo import ReadMemo

from .dialect import POSTGRESQL, Dialect
from .postgres_adapter import PostgresConnection, row_factory, text_dumper, untyped_dumpers
from .sql import StoreUnavailable

T = TypeVar("T")

# Every write bumps the store's version, in the round trip that commits it.
_BUMP_AND_COMMIT = "UPDATE store_version SET version = version + 1; COMMIT"
_INSTALL_HINT = "PostgreSQL needs the psycopg driver: pip install 'kitty-mock-saas[postgresql]'"


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:  # an optional extra
        raise StoreUnavailable(_INSTALL_HINT) from exc
    return psycopg


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


class ServerHealth:
    """What this process knows of one database server, shared by every store on its URL (the
    state, the world, each sandbox): when a connect last failed, so each store fails at once
    for `retry_after` instead of each waiting out the connect timeout, and how many lost
    connections were seen, so after a restart found by one store the others reopen theirs
    before use instead of each failing one request on a dead connection."""

    _by_url: ClassVar[dict[str, ServerHealth]] = {}
    _registry_lock = threading.Lock()

    def __init__(self) -> None:
        self.unreachable: tuple[float, str] | None = None
        self.losses = 0

    @classmethod
    def of(cls, url: str) -> ServerHealth:
        with cls._registry_lock:
            return cls._by_url.setdefault(url, cls())


def lock_key(schema: str) -> int:
    """The advisory lock of one store: a signed 32-bit number of its schema's name."""
    return zlib.crc32(schema.encode()) - (1 << 31)


class PostgresStore:
    """One store (its schema) in a PostgreSQL database; every method is thread-safe."""

    dialect: Dialect = POSTGRESQL

    def __init__(
        self,
        url: str,
        *,
        schema: str,
        connect_timeout: float = 3.0,
        statement_timeout: float | None = None,
        stall_timeout: float | None = 3.0,
        retry_after: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.schema = schema
        self._connect_timeout = connect_timeout
        self.statement_timeout = statement_timeout
        # A call unanswered this long has the server asked whether it is still working on it;
        # a hung server ends the call within about `stall_timeout` + the connect timeout.
        self._stall_timeout = stall_timeout
        # What a call waits for another call of this process on the same connection: as long
        # as that one may wait for a hung server before giving up.
        self._lock_wait = -1.0
        if stall_timeout is not None:
            self._lock_wait = stall_timeout + max(2.0, connect_timeout)
        # A statement (or a wait for the store's lock) cut after this long: StoreUnavailable.
        self._options = f"-c search_path={schema}"
        if statement_timeout is not None:
            self._options += f" -c statement_timeout={max(1, round(statement_timeout * 1000))}"
        # After a failed connect, calls fail at once for `retry_after` seconds instead of each
        # waiting up to the connect timeout for a server that just did not answer.
        self._retry_after = retry_after
        self._clock = clock
        self._health = ServerHealth.of(url)
        self._lock_key = lock_key(schema)
        # One round trip (the simple query protocol runs both): the lock before any statement.
        self._begin = f"BEGIN; SELECT pg_advisory_xact_lock({self._lock_key})"
        self._lock = threading.RLock()
        self._read_lock = threading.RLock()
        self._conn: PostgresConnection | None = None
        self._reader: PostgresConnection | None = None
        self._writer: int | None = None
        self._memo = ReadMemo(self._version)
        with self._holding(self._lock):
            conn = self._writing()
            with self._guarded(), conn.raw.transaction():
                conn.raw.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
                conn.raw.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
                conn.raw.execute(
                    "CREATE TABLE IF NOT EXISTS store_version ("
                    " id INTEGER PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL)"
                )
                conn.raw.execute(
                    "INSERT INTO store_version VALUES (1, 0) ON CONFLICT (id) DO NOTHING"
                )

    def __repr__(self) -> str:
        return f"PostgresStore(schema={self.schema!r})"

    def _open(self) -> PostgresConnection:
        psycopg = _psycopg()
        from . import postgres_wait

        failed = self._recently_unreachable()
        if failed is not None:
            raise StoreUnavailable(failed)
        losses = self._health.losses
        try:
            raw = postgres_wait.connect(
                self.url,
                connect_timeout=self._connect_timeout,
                options=self._options,
                stall_timeout=self._stall_timeout,
                judge=self._judge,
            )
        except psycopg.OperationalError as exc:
            message = f"the database is unreachable: {exc}".strip()
            self._health.unreachable = (self._clock(), message)
            raise StoreUnavailable(message) from exc
        self._health.unreachable = None
        raw.row_factory = row_factory
        untyped_dumpers(raw.adapters)
        text_dumper(raw.adapters)
        return PostgresConnection(raw, losses)

    def _recently_unreachable(self) -> str | None:
        """Why the server was found out of reach, if that was under `retry_after` ago."""
        failed = self._health.unreachable
        if failed is not None and self._clock() < failed[0] + self._retry_after:
            return failed[1]
        return None

    def _judge(self, raw: Any) -> Any:
        """The `Verdict` on a connection of this store whose call is unanswered after
        `stall_timeout`; a server found hung is out of reach for every store of it."""
        from .postgres_wait import Verdict, probe

        if self._recently_unreachable() is not None:
            return Verdict.HUNG  # another call found it so just now
        verdict = probe(raw, self.url, connect_timeout=self._connect_timeout)
        if verdict is Verdict.HUNG:
            self._health.unreachable = (self._clock(), "the database does not answer")
        return verdict

    @contextmanager
    def _holding(self, lock: Any) -> Iterator[None]:
        """`lock`, waited for no longer than a call holding it may wait for a hung server."""
        if not lock.acquire(timeout=self._lock_wait):
            raise StoreUnavailable(f"{self} is held by a call still waiting for the database")
        try:
            yield
        finally:
            lock.release()

    def _usable(self, conn: PostgresConnection | None) -> bool:
        """Open, and opened after the last connection loss any store of this server saw."""
        if conn is None or conn.raw.closed:
            return False
        if conn.losses != self._health.losses:
            conn.raw.close()
            return False
        return True

    def _writing(self) -> PostgresConnection:
        if not self._usable(self._conn):
            self._conn = self._open()
        assert self._conn is not None
        return self._conn

    def _reading(self) -> PostgresConnection:
        if not self._usable(self._reader):
            self._reader = self._open()
        assert self._reader is not None
        return self._reader

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        """A lost connection becomes `StoreUnavailable`; the next call opens a new one."""
        psycopg = _psycopg()
        try:
            yield
        except psycopg.OperationalError as exc:
            self._drop_broken()
            raise StoreUnavailable(f"the database connection failed: {exc}".strip()) from exc

    def _drop_broken(self) -> None:
        """A lost connection means the server went away (a restart, a failover): the idle one
        is lost too and would fail its next request, so both are reopened on their next use
        (one in use by another thread finds out for itself)."""
        if not any(
            conn is not None and (conn.raw.broken or conn.raw.closed)
            for conn in (self._conn, self._reader)
        ):
            return
        self._health.losses += 1
        for attribute, lock in (("_conn", self._lock), ("_reader", self._read_lock)):
            if lock.acquire(blocking=False):
                try:
                    conn = getattr(self, attribute)
                    if conn is not None:
                        conn.raw.close()
                        setattr(self, attribute, None)
                finally:
                    lock.release()

    @contextmanager
    def write(self) -> Iterator[PostgresConnection]:
        """A write transaction, serialized with every other writer of this store. Besides the
        block's statements it costs two round trips: BEGIN with the store's lock, taken before
        the first statement, and the version bump with COMMIT."""
        with self._holding(self._lock):
            committing = False
            try:
                with self._guarded():
                    conn = self._writing()
                    self._writer = threading.get_ident()
                    try:
                        conn.raw.execute(self._begin)
                        yield conn
                        committing = True
                        conn.raw.execute(_BUMP_AND_COMMIT)
                    except BaseException as exc:
                        # An error the server answered means it did not commit.
                        committing = committing and getattr(exc, "sqlstate", None) is None
                        self._roll_back(conn)
                        raise
                    finally:
                        self._writer = None
            except StoreUnavailable as exc:
                # Lost while committing: the server may have committed before it went away.
                exc.effect_unknown = committing
                raise
            finally:
                self._memo.committed()

    @staticmethod
    def _roll_back(conn: PostgresConnection) -> None:
        """End the transaction a write left open; a connection that cannot is closed (the next
        call opens another)."""
        raw = conn.raw
        idle = _psycopg().pq.TransactionStatus.IDLE
        if raw.closed or raw.broken or raw.pgconn.transaction_status == idle:
            return
        try:
            raw.execute("ROLLBACK")
        except Exception:
            raw.close()

    @contextmanager
    def read(self) -> Iterator[PostgresConnection]:
        """Committed data (each statement its own snapshot, as on SQLite's reader); inside this
        thread's own write, through the writing connection."""
        if self._writer == threading.get_ident():
            with self._lock:
                assert self._conn is not None
                yield self._conn
            return
        with self._holding(self._read_lock), self._guarded():
            yield self._reading()

    def _version(self) -> int:
        with self._holding(self._read_lock), self._guarded():
            row = self._reading().raw.execute("SELECT version FROM store_version").fetchone()
        return int(row[0])

    def data_version(self, *, fresh: bool = False) -> int:
        """The store's version, bumped by every write of any replica; inside a request scope,
        what the read memo saw first (`ReadMemo`), unless `fresh`."""
        if fresh:
            return self._version()
        with self._holding(self._read_lock):
            return self._memo.data_version()

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` (a read of this store), remembered until any replica writes to it."""
        if self._writer == threading.get_ident():
            return compute()
        with self._holding(self._read_lock):
            return self._memo.get(key, compute)

    def close(self) -> None:
        with self._lock, self._read_lock:
            for conn in (self._conn, self._reader):
                if conn is not None:
                    conn.raw.close()
            self._conn = self._reader = None
