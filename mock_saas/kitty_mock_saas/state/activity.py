"""The stateful fault injections, shared by every worker through the database."""

from __future__ import annotations

import json
from typing import Any

from kitty_mock_saas.ids import utc_now

from .db import Database


def add_faults(db: Database, specs: list[tuple[str, dict[str, Any], int | None]]) -> None:
    """Store every (kind, params, remaining) in one transaction: all of them or none."""
    now = utc_now()
    with db.write() as conn:
        conn.executemany(
            "INSERT INTO faults (kind, remaining, params, created_at) VALUES (?, ?, ?, ?)",
            [(kind, n, json.dumps(params, sort_keys=True), now) for kind, params, n in specs],
        )


def active_faults(db: Database) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(
            "SELECT id, kind, remaining, params, created_at FROM faults ORDER BY id"
        ).fetchall()
    return [{**dict(r), "params": json.loads(r["params"])} for r in rows]


def any_fault(db: Database) -> bool:
    """Whether any fault is active: remembered until the database changes (a fault is added,
    used up or cleared), so fault-free requests pay almost nothing."""
    return db.memo(("any_fault",), lambda: _any_fault(db))


def _any_fault(db: Database) -> bool:
    with db.read() as conn:
        return conn.execute("SELECT 1 FROM faults LIMIT 1").fetchone() is not None


def _applies(params: dict[str, Any], operation: str | None, user: str | None) -> bool:
    """A fault scoped to an operation or a user applies to that one's requests only."""
    wanted_op, wanted_user = params.get("operation"), params.get("user")
    return (wanted_op is None or wanted_op == operation) and (
        wanted_user is None or wanted_user == user
    )


def take_fault(
    db: Database,
    kinds: tuple[str, ...],
    *,
    operation: str | None = None,
    user: str | None = None,
) -> dict[str, Any] | None:
    """Consume one use of the oldest active fault of these kinds that applies to the request.

    Atomic across workers. A fault that names no operation or user applies to every request.
    """
    marks = ",".join("?" for _ in kinds)
    with db.read() as conn:
        # Cheap check first: most requests see no fault and need no write transaction.
        if (
            conn.execute(f"SELECT 1 FROM faults WHERE kind IN ({marks}) LIMIT 1", kinds).fetchone()
            is None
        ):
            return None
    with db.write() as conn:
        rows = conn.execute(
            f"SELECT id, kind, remaining, params FROM faults WHERE kind IN ({marks}) ORDER BY id",
            kinds,
        ).fetchall()
        for row in rows:
            params = json.loads(row["params"])
            if not _applies(params, operation, user):
                continue
            if row["remaining"] is not None:
                if row["remaining"] <= 1:
                    conn.execute("DELETE FROM faults WHERE id = ?", (row["id"],))
                else:
                    conn.execute(
                        "UPDATE faults SET remaining = remaining - 1 WHERE id = ?", (row["id"],)
                    )
            return {"kind": row["kind"], **params}
    return None


def clear_faults(db: Database) -> int:
    with db.write() as conn:
        return conn.execute("DELETE FROM faults").rowcount
