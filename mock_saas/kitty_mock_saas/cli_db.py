"""`kitty-mock-saas db status|upgrade`: the schema migrations of the state and of the tracker
world, by hand.

`serve` applies pending migrations itself when it starts; these commands let an operator see or
apply them first (before a rolling start of replicas, or to check a state file). The world is
where `serve` keeps it: beside the state file (`FILE.world`), or in the schema `kitty_world` of
the state's PostgreSQL database.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .ids import utc_now
from .settings import MEMORY, MockSettings
from .state import StateVersionError, apply_migrations, migration_status, open_state
from .state.db import (
    CONNECT_TIMEOUT_SECONDS,
    STATEMENT_TIMEOUT_SECONDS,
    database_label,
    state_migrations,
)
from .store import SQLITE, StoreUnavailable
from .store.migrations import Migration, MigrationError, migrations_for

DB_EXAMPLES = """\
examples:
  kitty-mock-saas db status --state .state/mock.db          the state and .state/mock.db.world
  kitty-mock-saas db upgrade --database postgresql://kitty@db.internal/kitty

exit codes: 0 done (status: nothing pending), 1 status: migrations pending,
            2 bad arguments or a database a newer mock upgraded, 4 database unreachable
"""
EXIT_PENDING = 1
EXIT_UNREACHABLE = 4


class DbCommandError(Exception):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class StoreReport:
    """What one store's migrations are, or what the command applied to them."""

    store: str  # "state" or "world"
    where: str
    version: int
    pending: list[str]
    note: str

    def fields(self) -> dict[str, Any]:
        return {
            "database": self.where,
            "version": self.version,
            "pending": self.pending,
            "note": self.note,
        }

    def line(self) -> str:
        return f"{self.store} {self.where}: schema version {self.version}; {self.note}"


def add_db_parser(commands: Any, version: type[argparse.Action]) -> argparse.ArgumentParser:
    db: argparse.ArgumentParser = commands.add_parser(
        "db",
        help="show or apply the schema migrations of the state and the tracker world",
        description=(
            "The state's and the tracker world's schemas are versioned: numbered migrations, "
            "applied forward only and recorded in the database. serve applies pending ones "
            "when it starts; replicas starting together apply each once. The world is the one "
            "serve uses with the same --state or --database."
        ),
        epilog=DB_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    db.add_argument("--version", action=version)
    db.add_argument("action", choices=["status", "upgrade"], help="show, or apply what is pending")
    db.add_argument("--state", default=MEMORY, help="SQLite state file (its world: FILE.world)")
    db.add_argument("--database", metavar="URL", help="PostgreSQL URL (postgresql://...)")
    db.add_argument("--json", action="store_true", help="print the result as JSON")
    return db


def db_command(args: argparse.Namespace) -> tuple[int, str]:
    """(exit code, what to print): the state's report, then the world's."""
    url = args.database
    if url is None and args.state == MEMORY:
        raise DbCommandError("name the state: --state FILE or --database URL", 2)
    if url is not None and not url.startswith(("postgresql://", "postgres://")):
        raise DbCommandError(f"--database must be a postgresql:// URL, not {url!r}", 2)
    reports = [_state(args, url), _world(args, url)]
    code = EXIT_PENDING if any(report.pending for report in reports) else 0
    if args.json:
        # The state's fields at the top, as before the world was reported too.
        return code, json.dumps({**reports[0].fields(), "world": reports[1].fields()})
    return code, "\n".join(report.line() for report in reports)


def _state(args: argparse.Namespace, url: str | None) -> StoreReport:
    where = database_label(url) if url is not None else args.state
    if url is None and args.action == "status" and not Path(args.state).exists():
        return _nothing_yet("state", where, state_migrations(SQLITE))
    with _command_errors(where):
        db = open_state(args.state, database_url=url, migrate=False)
        try:
            if args.action == "upgrade":
                done = apply_migrations(db)
                return _upgraded("state", where, migration_status(db).current, done)
            found = migration_status(db)
            return _found("state", where, found.current, found.pending)
        finally:
            db.close()


def _world(args: argparse.Namespace, url: str | None) -> StoreReport:
    # Where serve keeps it, and what it opens it with (imported here: the world's modules are
    # more than `db` otherwise needs).
    from .tracker_fakes.world.schema import (
        WORLD_SCHEMA,
        open_world_store,
        upgrade_world,
        world_migration_status,
    )
    from .world import world_location

    location = world_location(MockSettings(state_path=args.state, database_url=url))
    where = location if url is None else f"{database_label(url)} (schema {WORLD_SCHEMA})"
    if url is None and args.action == "status" and not Path(location).exists():
        return _nothing_yet("world", where, migrations_for("world", SQLITE))
    with _command_errors(where):
        store = open_world_store(
            location,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            statement_timeout=STATEMENT_TIMEOUT_SECONDS,
        )
        try:
            if args.action == "upgrade":
                done = upgrade_world(store, where=where, now=utc_now())
                return _upgraded(
                    "world", where, world_migration_status(store, where=where).current, done
                )
            found = world_migration_status(store, where=where)
            return _found("world", where, found.current, found.pending)
        finally:
            store.close()


@contextmanager
def _command_errors(where: str) -> Iterator[None]:
    """A database out of reach exits 4; one a newer mock upgraded (or a failing migration) 2."""
    try:
        yield
    except StoreUnavailable as exc:
        raise DbCommandError(f"{where}: {exc}", EXIT_UNREACHABLE) from None
    except (StateVersionError, MigrationError) as exc:
        raise DbCommandError(str(exc), 2) from None


def _names(migrations: list[Migration]) -> list[str]:
    return [f"{m.version:04d}_{m.name}" for m in migrations]


def _nothing_yet(store: str, where: str, every: list[Migration]) -> StoreReport:
    return StoreReport(store, where, 0, _names(every), f"no {store} file yet")


def _found(store: str, where: str, version: int, pending: list[Migration]) -> StoreReport:
    names = _names(pending)
    note = "pending: " + ", ".join(names) if names else "up to date"
    return StoreReport(store, where, version, names, note)


def _upgraded(store: str, where: str, version: int, done: list[Migration]) -> StoreReport:
    note = f"applied {', '.join(_names(done))}" if done else "nothing to apply"
    return StoreReport(store, where, version, [], note)
