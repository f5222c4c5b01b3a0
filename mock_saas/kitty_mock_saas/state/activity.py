"""The request log and the stateful fault injections, shared by every worker through the database."""

from __future__ import annotations

import json
from typing import Any

from kitty_mock_saas.ids import utc_now

from .db import Database


def log_request(
    db: Database,
    *,
    method: str,
    path: str,
    status: int,
    latency_ms: float,
    error_code: str | None,
    user_id: str | None,
    keep: int,
) -> None:
    with db.write() as conn:
        cursor = conn.execute(
            "INSERT INTO request_log (at, method, path, status, latency_ms, error_code, user_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (utc_now(), method, path, status, round(latency_ms, 3), error_code, user_id),
        )
        # Keep the log bounded; trimming every 100 inserts keeps the cost negligible.
        if cursor.lastrowid is not None and cursor.lastrowid % 100 == 0:
            conn.execute("DELETE FROM request_log WHERE seq <= ?", (cursor.lastrowid - keep,))


def recent_requests(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(
            "SELECT seq, at, method, path, status, latency_ms, error_code, user_id FROM request_log"
            " ORDER BY seq DESC LIMIT ?",
            (limit,),
        ).fetchall()
    return [dict(r) for r in rows]


def add_fault(db: Database, kind: str, params: dict[str, Any], remaining: int | None) -> int:
    with db.write() as conn:
        cursor = conn.execute(
            "INSERT INTO faults (kind, remaining, params, created_at) VALUES (?, ?, ?, ?)",
            (kind, remaining, json.dumps(params, sort_keys=True), utc_now()),
        )
        return int(cursor.lastrowid or 0)


def active_faults(db: Database) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(
            "SELECT id, kind, remaining, params, created_at FROM faults ORDER BY id"
        ).fetchall()
    return [{**dict(r), "params": json.loads(r["params"])} for r in rows]


def take_fault(db: Database, kinds: tuple[str, ...]) -> dict[str, Any] | None:
    """Consume one use of the oldest active fault of these kinds (atomically across workers)."""
    marks = ",".join("?" for _ in kinds)
    with db.read() as conn:
        # Cheap check first: most requests see no fault and need no write transaction.
        if (
            conn.execute(f"SELECT 1 FROM faults WHERE kind IN ({marks}) LIMIT 1", kinds).fetchone()
            is None
        ):
            return None
    with db.write() as conn:
        row = conn.execute(
            f"SELECT id, kind, remaining, params FROM faults WHERE kind IN ({marks}) ORDER BY id LIMIT 1",
            kinds,
        ).fetchone()
        if row is None:
            return None
        if row["remaining"] is not None:
            if row["remaining"] <= 1:
                conn.execute("DELETE FROM faults WHERE id = ?", (row["id"],))
            else:
                conn.execute(
                    "UPDATE faults SET remaining = remaining - 1 WHERE id = ?", (row["id"],)
                )
        return {"kind": row["kind"], **json.loads(row["params"])}


def clear_faults(db: Database) -> int:
    with db.write() as conn:
        return conn.execute("DELETE FROM faults").rowcount
