"""Snapshots on PostgreSQL: a snapshot's rows kept in the state's own schema.

Saving copies every state table's rows, as JSON records, into `snapshot_rows`; restoring puts
them back, numbers (the insertion order, receipt sequence) included: the identities that gave
those numbers only ever grow, so later rows still come after them. Both run inside the database,
in one write transaction of the state: no row passes through Python, and every replica sees the
state before or after, never half of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from kitty_mock_saas.ids import utc_now
from kitty_mock_saas.store import Connection

from .db import PostgresState

# A copy of a big state may take longer than one request's statement timeout; writers meanwhile
# wait for the store's lock (and may answer 503, retryable), readers go on.
_COPY_TIMEOUT = "SET LOCAL statement_timeout = '60s'"


def save(
    db: PostgresState,
    name: str,
    tables: tuple[str, ...],
    check_room: Callable[[Connection, str], None],
) -> dict[str, Any]:
    now = utc_now()
    with db.write() as conn:
        conn.execute(_COPY_TIMEOUT)
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
        conn.execute(_COPY_TIMEOUT)
        for table in tables:
            conn.execute(f"DELETE FROM {table}")
            conn.execute(
                f"INSERT INTO {table} SELECT (jsonb_populate_record(NULL::{table}, data)).*"
                " FROM snapshot_rows WHERE snapshot = ? AND table_name = ?",
                (name, table),
            )
    return {"name": row["name"], "created_at": row["created_at"]}


def delete(db: PostgresState, name: str) -> bool:
    with db.write() as conn:
        return bool(conn.execute("DELETE FROM snapshots WHERE name = ?", (name,)).rowcount)
