"""Schema migrations: numbered scripts per store and dialect, applied forward only.

`kitty_mock_saas/migrations/<store>/<dialect>/NNNN_what.sql`: each script runs once, in the
store's write transaction (so replicas starting together upgrade it once, one after the other),
and is recorded in that store's `schema_migrations` table. A database that a newer mock upgraded
is refused with a clear message, never misread.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from .dialect import Dialect
from .sql import Store

_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_LEDGER = (
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
)


class MigrationError(RuntimeError):
    """The database cannot be brought to this mock's schema (newer, or a script failed)."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    script: str


@dataclass(frozen=True)
class MigrationStatus:
    applied: list[int]
    pending: list[Migration]

    @property
    def current(self) -> int:
        return max(self.applied, default=0)


def migrations_for(
    store_name: str, dialect: Dialect, *, root: Traversable | None = None
) -> list[Migration]:
    """The scripts of `store_name` ("state", "world") for `dialect`, in order; numbered 1..n.
    `root` is the folder of every store's migrations (the package's own by default)."""
    base = root if root is not None else resources.files("kitty_mock_saas") / "migrations"
    folder = base / store_name / dialect.name
    found = []
    for entry in folder.iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise MigrationError(f"{folder}: migrations must be numbered 0001, 0002, ... without gaps")
    return found


def run_script(conn: Any, script: str, dialect: Dialect) -> None:
    """Every statement of `script`, inside the caller's transaction."""
    if dialect.name == "postgresql":
        conn.raw.execute(script)  # psycopg runs several statements when given no parameters
        return
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        conn.execute(statement)


def _applied(conn: Any) -> list[int]:
    conn.execute(_LEDGER)
    return sorted(int(row[0]) for row in conn.execute("SELECT version FROM schema_migrations"))


def _check_known(applied: list[int], known: list[Migration], where: str) -> None:
    newest = max(applied, default=0)
    if newest > len(known):
        raise MigrationError(
            f"{where} is at schema version {newest}, which a newer mock wrote; this mock knows "
            f"versions up to {len(known)}. Run the newer mock, or start on an empty database."
        )


def adopt(conn: Any, migrations: list[Migration], *, now: str) -> None:
    """Record `migrations` as applied, inside the caller's write transaction: a database an
    earlier release made (with those tables, but before this ledger existed)."""
    conn.execute(_LEDGER)
    conn.executemany(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
        [(m.version, m.name, now) for m in migrations],
    )


def status(store: Store, migrations: list[Migration], *, where: str) -> MigrationStatus:
    """What is applied and what is pending (creates nothing but the empty ledger)."""
    with store.write() as conn:
        applied = _applied(conn)
    _check_known(applied, migrations, where)
    return MigrationStatus(applied, [m for m in migrations if m.version not in applied])


def upgrade(store: Store, migrations: list[Migration], *, where: str, now: str) -> list[Migration]:
    """Apply the pending migrations, each in its own write transaction; returns them."""
    done: list[Migration] = []
    for migration in migrations:
        with store.write() as conn:
            applied = _applied(conn)
            _check_known(applied, migrations, where)
            if migration.version in applied:
                continue
            try:
                run_script(conn, migration.script, store.dialect)
            except Exception as exc:
                raise MigrationError(
                    f"{where}: migration {migration.version:04d}_{migration.name} failed: {exc}"
                ) from exc
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, now),
            )
        done.append(migration)
    return done
