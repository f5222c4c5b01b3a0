"""The request log and the stateful fault injections, shared by every worker through the database."""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass
from typing import Any

from kitty_mock_saas.ids import utc_now

from .db import Database


@dataclass(frozen=True)
class LoggedRequest:
    at: str
    method: str
    path: str
    status: int
    latency_ms: float
    error_code: str | None
    user_id: str | None


class RequestLog:
    """The request log, written in batches: one transaction per burst, not one per request.

    Entries reach the database at most `flush_after` seconds after they were recorded (a timer
    on the running event loop), and before any read through `recent`; a process killed -9 loses
    at most that window of log lines, never state.
    """

    def __init__(
        self, db: Database, *, keep: int, flush_after: float = 0.25, batch: int = 256
    ) -> None:
        self._db = db
        self._keep = keep
        self._flush_after = flush_after
        self._batch = batch
        self._pending: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._timer: asyncio.TimerHandle | None = None

    def record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._pending.append(entry)
            full = len(self._pending) >= self._batch
            start_timer = self._timer is None and not full
        if full:
            self.flush()
        elif start_timer:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                self.flush()
                return
            self._timer = loop.call_later(self._flush_after, self.flush)

    def flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, []
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if not pending:
            return
        with self._db.write() as conn:
            cursor = conn.executemany(
                "INSERT INTO request_log (at, method, path, status, latency_ms, error_code, user_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        e.at,
                        e.method,
                        e.path,
                        e.status,
                        round(e.latency_ms, 3),
                        e.error_code,
                        e.user_id,
                    )
                    for e in pending
                ],
            )
            last = conn.execute("SELECT max(seq) FROM request_log").fetchone()[0]
            if cursor.rowcount and last is not None:
                conn.execute("DELETE FROM request_log WHERE seq <= ?", (last - self._keep,))

    def recent(self, limit: int = 100) -> list[dict[str, Any]]:
        """The newest entries, this process's pending ones included."""
        self.flush()
        return recent_requests(self._db, limit)


def recent_requests(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(
            "SELECT seq, at, method, path, status, latency_ms, error_code, user_id FROM request_log"
            " ORDER BY seq DESC LIMIT ?",
            (limit,),
        ).fetchall()
    return [dict(r) for r in rows]


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
    """Whether any fault is active: one cheap read, so fault-free requests pay almost nothing."""
    with db.read() as conn:
        return conn.execute("SELECT 1 FROM faults LIMIT 1").fetchone() is not None


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
