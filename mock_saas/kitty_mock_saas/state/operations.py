"""Asynchronous operations: a write accepted with 202 that completes after a few polls.

An operation is private to its team. Each poll advances it; once it is due, the API layer runs the
write and closes the operation with its result or error in the same transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kitty_mock_saas.ids import ulid, utc_now
from kitty_mock_saas.store import Connection, Row

from .db import Database

OPEN = ("pending", "running")


@dataclass(frozen=True)
class OperationRecord:
    operation_id: str
    team_id: str
    user_id: str
    status: str
    polls: int
    request: dict[str, Any]
    idempotency_key: str | None
    result: dict[str, Any] | None
    error: dict[str, Any] | None
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, row: Row) -> OperationRecord:
        return cls(
            operation_id=row["operation_id"],
            team_id=row["team_id"],
            user_id=row["user_id"],
            status=row["status"],
            polls=row["polls"],
            request=json.loads(row["request"]),
            idempotency_key=row["idempotency_key"],
            result=json.loads(row["result"]) if row["result"] else None,
            error=json.loads(row["error"]) if row["error"] else None,
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )

    @property
    def open(self) -> bool:
        return self.status in OPEN


def _get(conn: Connection, team_id: str, operation_id: str) -> OperationRecord | None:
    row = conn.execute(
        "SELECT * FROM operations WHERE operation_id = ? AND team_id = ?", (operation_id, team_id)
    ).fetchone()
    return OperationRecord.of(row) if row is not None else None


def create(
    conn: Connection,
    *,
    team_id: str,
    user_id: str,
    request: dict[str, Any],
    idempotency_key: str | None,
) -> OperationRecord:
    """A new pending operation holding what the write needs later."""
    now = utc_now()
    operation_id = f"op_{ulid()}"
    conn.execute(
        "INSERT INTO operations (operation_id, team_id, user_id, status, request,"
        " idempotency_key, created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?, ?, ?)",
        (operation_id, team_id, user_id, json.dumps(request), idempotency_key, now, now),
    )
    record = _get(conn, team_id, operation_id)
    assert record is not None
    return record


def find(db: Database, *, team_id: str, operation_id: str) -> OperationRecord | None:
    """The team's operation as stored, without advancing it."""
    with db.read() as conn:
        return _get(conn, team_id, operation_id)


def poll(db: Database, *, team_id: str, operation_id: str, steps: int) -> OperationRecord | None:
    """Count one poll of an open operation; None when the team has no such operation.

    An open operation stays `running` until its `steps`-th poll; then it is due (still open) and
    the caller closes it with `close`.
    """
    with db.write() as conn:
        record = _get(conn, team_id, operation_id)
        if record is None or not record.open:
            return record
        polls = record.polls + 1
        status = "running" if polls < steps else record.status
        conn.execute(
            "UPDATE operations SET status = ?, polls = ?, updated_at = ? WHERE operation_id = ?",
            (status, polls, utc_now(), operation_id),
        )
        return _get(conn, team_id, operation_id)


def is_due(record: OperationRecord, steps: int) -> bool:
    return record.open and record.polls >= steps


def close(
    conn: Connection,
    record: OperationRecord,
    *,
    result: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
) -> OperationRecord:
    """Complete (with `result`) or fail (with `error`) the operation, unless already closed."""
    current = _get(conn, record.team_id, record.operation_id)
    assert current is not None
    if not current.open:
        return current
    conn.execute(
        "UPDATE operations SET status = ?, result = ?, error = ?, updated_at = ?"
        " WHERE operation_id = ?",
        (
            "completed" if error is None else "failed",
            json.dumps(result) if result is not None else None,
            json.dumps(error) if error is not None else None,
            utc_now(),
            record.operation_id,
        ),
    )
    closed = _get(conn, record.team_id, record.operation_id)
    assert closed is not None
    return closed
