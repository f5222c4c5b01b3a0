"""The state database on either backend: its tables come from the `state` migrations.

`open_state` gives an SQLite file (or memory), the embedded default, or a schema of a PostgreSQL
database (`--database URL`), which several replicas share. Both are the store layer's stores and
run the same statements; each applies its pending migrations when opened (serialized by the
store's write lock, so processes and replicas starting together upgrade once). What only SQLite
has (the snapshot files written by its backup API) stays on `SqliteState`.
"""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from kitty_mock_saas.ids import utc_now
from kitty_mock_saas.store import SQLITE, Dialect
from kitty_mock_saas.store.migrations import (
    Migration,
    MigrationError,
    MigrationStatus,
    adopt,
    migrations_for,
    status,
    upgrade,
)
from kitty_mock_saas.store.postgres import PostgresStore
from kitty_mock_saas.store.schemas import STATE_SCHEMA
from kitty_mock_saas.store.sqlite import MEMORY, SqliteStore

# The `PRAGMA user_version` of the last release before migrations; its tables are version 1.
PREVIOUS_RELEASE_VERSION = 2
# Under the client's deadlines (a 10 s search, one attempt of 10 s): a request that finds the
# database down or stuck answers 503 well before the client gives up on it.
CONNECT_TIMEOUT_SECONDS = 2.0
STATEMENT_TIMEOUT_SECONDS = 3.0


class StateVersionError(RuntimeError):
    """The state database cannot be used by this mock (another release's, or a newer one)."""


@cache
def state_migrations(dialect: Dialect) -> list[Migration]:
    return migrations_for("state", dialect)


class SqliteState(SqliteStore):
    """The state in an SQLite file (shared by worker processes) or in memory."""

    def __init__(self, path: str, *, migrate: bool = True) -> None:
        super().__init__(path)
        self._snapshot_dir: Path | None = None
        try:
            self._adopt_previous_release()
            if migrate:
                _migrate(self)
        except BaseException:
            super().close()
            raise

    @property
    def where(self) -> str:
        return f"state file {self.path}"

    def _adopt_previous_release(self) -> None:
        """A file of the release before migrations is taken as at version 1, not refused."""
        with self.write() as conn:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if not names or "schema_migrations" in names:
                return
            found = conn.execute("PRAGMA user_version").fetchone()[0]
            if found != PREVIOUS_RELEASE_VERSION:
                raise StateVersionError(
                    f"{self.where} has schema version {found} of an old release that no mock "
                    "upgrades: delete the file (or use another --state) and start again"
                )
            # Files of that release written before the journal kept operations, headers, bodies.
            have = {row[1] for row in conn.execute("PRAGMA table_info(request_log)")}
            for column in ("operation_id", "headers", "body"):
                if column not in have:
                    conn.execute(f"ALTER TABLE request_log ADD COLUMN {column} TEXT")
            adopt(conn, state_migrations(SQLITE)[:1], now=utc_now())

    def snapshot_dir(self) -> Path:
        """Where this state's snapshot files live, owner-only (they hold tokens): beside the
        state file, or a temporary directory for an in-memory state (removed on close)."""
        with self._lock:
            if self._snapshot_dir is None:
                if self.path == MEMORY:
                    self._snapshot_dir = Path(tempfile.mkdtemp(prefix="kitty-snapshots-"))
                else:
                    self._snapshot_dir = Path(self.path + ".snapshots")
                    self._snapshot_dir.mkdir(mode=0o700, exist_ok=True)
            return self._snapshot_dir

    def close(self) -> None:
        with self._lock, self._read_lock:
            super().close()
            if self.path == MEMORY and self._snapshot_dir is not None:
                shutil.rmtree(self._snapshot_dir, ignore_errors=True)


class PostgresState(PostgresStore):
    """The state in one schema of a PostgreSQL database (`kitty_state`, or a sandbox's)."""

    def __init__(self, url: str, *, schema: str = STATE_SCHEMA, migrate: bool = True) -> None:
        super().__init__(
            url,
            schema=schema,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            statement_timeout=STATEMENT_TIMEOUT_SECONDS,
        )
        if migrate:
            try:
                _migrate(self)
            except BaseException:
                self.close()
                raise

    @property
    def where(self) -> str:
        return f"schema {self.schema} of {database_label(self.url)}"


Database = SqliteState | PostgresState


def open_state(
    state_path: str = MEMORY,
    *,
    database_url: str | None = None,
    schema: str = STATE_SCHEMA,
    migrate: bool = True,
) -> Database:
    """The state: in `schema` of the PostgreSQL database at `database_url` when one is given,
    else in the SQLite file `state_path` (or memory). `migrate=False` opens it as it is (for
    `db status`); otherwise pending migrations are applied first."""
    if database_url is not None:
        return PostgresState(database_url, schema=schema, migrate=migrate)
    return SqliteState(state_path, migrate=migrate)


def migration_status(db: Database) -> MigrationStatus:
    """What is applied and pending on `db` (refuses a database a newer mock upgraded)."""
    try:
        return status(db, state_migrations(db.dialect), where=db.where)
    except MigrationError as exc:
        raise StateVersionError(str(exc)) from exc


def apply_migrations(db: Database) -> list[Migration]:
    """Apply what is pending on `db`; the migrations applied now."""
    try:
        return upgrade(db, state_migrations(db.dialect), where=db.where, now=utc_now())
    except MigrationError as exc:
        raise StateVersionError(str(exc)) from exc


def _migrate(db: Database) -> None:
    if migration_status(db).pending:
        apply_migrations(db)


def database_label(url: str) -> str:
    """`url` without its password (in the address or as a parameter), for banners and messages."""
    parts = urlsplit(url)
    if parts.password is not None:
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        user = f"{parts.username}:***@" if parts.username else ""
        parts = parts._replace(netloc=f"{user}{host}{port}")
    query = [
        (key, "***" if key == "password" else value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*")))
