"""Reset to the seeded state, and named snapshots of the state to restore later.

A snapshot is the rows of every state table, kept as JSON in the database itself, so every
worker process sees it. The journal and the faults are not part of a snapshot: restoring one
puts the data back, not the history of how it was reached. A reset clears all three.
"""

from __future__ import annotations

import json
from typing import Any

from kitty_mock_saas.fixtures import Fixtures
from kitty_mock_saas.ids import utc_now

from . import directory
from .db import Database

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
    now = utc_now()
    with db.write() as conn:
        count = conn.execute("SELECT count(*) FROM snapshots WHERE name != ?", (name,)).fetchone()
        if count[0] >= MAX_SNAPSHOTS:
            raise TooManySnapshots(f"at most {MAX_SNAPSHOTS} snapshots; delete one first")
        data = {
            table: [dict(r) for r in conn.execute(f"SELECT * FROM {table}")]
            for table in STATE_TABLES
        }
        conn.execute(
            "INSERT OR REPLACE INTO snapshots (name, created_at, data) VALUES (?, ?, ?)",
            (name, now, json.dumps(data)),
        )
    return {"name": name, "created_at": now}


def restore(db: Database, name: str) -> dict[str, Any]:
    """Put the state back as `name` saved it.

    Raises:
        SnapshotNotFound: there is no snapshot of that name.
    """
    with db.write() as conn:
        row = conn.execute(
            "SELECT name, created_at, data FROM snapshots WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            raise SnapshotNotFound(name)
        data: dict[str, list[dict[str, Any]]] = json.loads(row["data"])
        for table in STATE_TABLES:
            conn.execute(f"DELETE FROM {table}")
            rows = data.get(table, [])
            if rows:
                columns = list(rows[0])
                conn.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)})"
                    f" VALUES ({', '.join('?' for _ in columns)})",
                    [tuple(r[c] for c in columns) for r in rows],
                )
    return {"name": row["name"], "created_at": row["created_at"]}


def listed(db: Database) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute("SELECT name, created_at FROM snapshots ORDER BY created_at, name")
        return [dict(r) for r in rows.fetchall()]


def delete(db: Database, name: str) -> None:
    """Raises: SnapshotNotFound."""
    with db.write() as conn:
        if conn.execute("DELETE FROM snapshots WHERE name = ?", (name,)).rowcount == 0:
            raise SnapshotNotFound(name)
