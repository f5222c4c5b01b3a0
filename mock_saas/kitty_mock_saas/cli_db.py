"""`kitty-mock-saas db status|upgrade`: the state database's schema migrations, by hand.

`serve` applies pending migrations itself when it starts; these commands let an operator see or
apply them first (before a rolling start of replicas, or to check a state file).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from .settings import MEMORY
from .state import StateVersionError, apply_migrations, migration_status, open_state
from .state.db import database_label, state_migrations
from .store import SQLITE, StoreUnavailable

DB_EXAMPLES = """\
examples:
  kitty-mock-saas db status --state .state/mock.db
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


def add_db_parser(commands: Any, version: type[argparse.Action]) -> argparse.ArgumentParser:
    db: argparse.ArgumentParser = commands.add_parser(
        "db",
        help="show or apply the state database's schema migrations",
        description=(
            "The state's schema is versioned: numbered migrations, applied forward only and "
            "recorded in the database. serve applies pending ones when it starts; replicas "
            "starting together apply each once."
        ),
        epilog=DB_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    db.add_argument("--version", action=version)
    db.add_argument("action", choices=["status", "upgrade"], help="show, or apply what is pending")
    db.add_argument("--state", default=MEMORY, help="SQLite state file")
    db.add_argument("--database", metavar="URL", help="PostgreSQL URL (postgresql://...)")
    db.add_argument("--json", action="store_true", help="print the result as JSON")
    return db


def db_command(args: argparse.Namespace) -> tuple[int, str]:
    """(exit code, what to print)."""
    url = args.database
    if url is None and args.state == MEMORY:
        raise DbCommandError("name the state: --state FILE or --database URL", 2)
    if url is not None and not url.startswith(("postgresql://", "postgres://")):
        raise DbCommandError(f"--database must be a postgresql:// URL, not {url!r}", 2)
    where = database_label(url) if url is not None else args.state
    if url is None and args.action == "status" and not Path(args.state).exists():
        every = [f"{m.version:04d}_{m.name}" for m in state_migrations(SQLITE)]
        return EXIT_PENDING, _render(args, where, None, every, "no state file yet")
    try:
        db = open_state(args.state, database_url=url, migrate=False)
    except StoreUnavailable as exc:
        raise DbCommandError(f"{where}: {exc}", EXIT_UNREACHABLE) from None
    except StateVersionError as exc:
        raise DbCommandError(str(exc), 2) from None
    try:
        if args.action == "upgrade":
            done = apply_migrations(db)
            found = migration_status(db)
            applied = [f"{m.version:04d}_{m.name}" for m in done]
            note = f"applied {', '.join(applied)}" if applied else "nothing to apply"
            return 0, _render(args, where, found.current, [], note)
        found = migration_status(db)
        pending = [f"{m.version:04d}_{m.name}" for m in found.pending]
        note = "up to date" if not pending else "pending: " + ", ".join(pending)
        return (EXIT_PENDING if pending else 0), _render(args, where, found.current, pending, note)
    except StoreUnavailable as exc:
        raise DbCommandError(f"{where}: {exc}", EXIT_UNREACHABLE) from None
    except StateVersionError as exc:
        raise DbCommandError(str(exc), 2) from None
    finally:
        db.close()


def _render(
    args: argparse.Namespace, where: str, version: int | None, pending: list[str], note: str
) -> str:
    if args.json:
        return json.dumps(
            {"database": where, "version": version or 0, "pending": pending, "note": note}
        )
    return f"{where}: schema version {version or 0}; {note}"
