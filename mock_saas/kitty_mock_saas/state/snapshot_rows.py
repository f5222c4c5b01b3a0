"""Snapshots on PostgreSQL: a snapshot's rows kept in the state's own schema.

Saving copies every state table's rows, as JSON records, into `snapshot_rows`; restoring puts
them back, numbers (SQLite's rowid order, receipt sequence) included, and moves each identity
past them. Both run inside the database in one write transaction of the state, so no row passes
through Python, and every replica sees the state before or after, never half of it.
"""

from __future__ import annotations

import json
from typing import Any

from kitty_mock_saas.ids import utc_now
from kitty_mock_saas.store import Connection

from .db import PostgresState

# Columns numbered by the database: after a restore the next number follows the restored rows.
_IDENTITIES = (("origin_links", "rowid"), ("events", "rowid"), ("event_receipts", "seq"))


def save(db: PostgresState, name: str, tables: tuple[str, ...], check_room: Any) -> dict[str, Any]:
    now = utc_now()
    with db.write() as conn:
        check_room(conn, name)
        conn.execute("DELETE FROM snapshots WHERE name = ?", (name,))  # its rows cascade
        conn.execute(
            "INSERT INTO snapshots (name, created_at, data) VALUES (?, ?, ?)",
            (name, now, json.dumps({"rows": "snapshot_rows"})),
        )
        for table in tables:
            conn.execute(
                "INSERT INTO snapshot_rows (snapshot, table_name, data)"
                f" SELECT ?, ?, to_jsonb(t) FROM {table} t",
                (name, table),
            )
    return {"name": name, "created_at": now}


def restore(db: PostgresState, name: str, tables: tuple[str, ...]) -> dict[str, Any] | None:
    """The snapshot's name and time, or None when there is no such snapshot."""
    with db.write() as conn:
        row = conn.execute(
            "SELECT name, created_at FROM snapshots WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            return None
        for table in tables:
            conn.execute(f"DELETE FROM {table}")
            conn.execute(
                f"INSERT INTO {table} SELECT (jsonb_populate_record(NULL::{table}, data)).*"
                " FROM snapshot_rows WHERE snapshot = ? AND table_name = ?",
                (name, table),
            )
        _renumber(conn)
    return {"name": row["name"], "created_at": row["created_at"]}


def _renumber(conn: Connection) -> None:
    for table, column in _IDENTITIES:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'),"
            f" coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)"
        )


def delete(db: PostgresState, name: str) -> bool:
    with db.write() as conn:
        return bool(conn.execute("DELETE FROM snapshots WHERE name = ?", (name,)).rowcount)
