"""The journal: every contract request with its operation, headers and JSON body, bounded in size.

Queries (count and find) match method, path, operationId, status, user, header values and body
fields. Credentials (headers, body fields, values repeated elsewhere) go through the one
redaction step (`kitty_mock_saas.redaction`) before anything is stored; a body over `BODY_LIMIT` bytes is kept
as null, so the journal stays small whatever the clients send.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from kitty_mock_saas.redaction import redacted_request
from kitty_mock_saas.store import StoreUnavailable

from .db import Database

BODY_LIMIT = 16 * 1024
_MISSING = object()


class LoggedRequest(NamedTuple):
    """One request as the observer saw it, raw: turned into a journal row when flushed, in a
    batch, so a request pays for a tuple and not for formatting it."""

    at: float  # wall-clock seconds (time.time())
    method: str
    path: str
    status: int
    latency_ms: float
    error_code: str | None
    user_id: str | None
    operation_id: str | None = None
    headers: Sequence[tuple[bytes, bytes]] = ()  # as received; redacted when flushed
    body: Any = None


def _timestamp(at: float) -> str:
    """RFC 3339 UTC with milliseconds, as `ids.utc_now` writes it."""
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _stored_body(body: Any) -> str | None:
    if body is None:
        return None
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return text if len(text.encode()) <= BODY_LIMIT else None


@dataclass(frozen=True)
class JournalQuery:
    """Criteria that must all hold; None (or empty) means any."""

    method: str | None = None
    path: str | None = None
    operation: str | None = None
    status: int | None = None
    user: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_request(cls, data: Mapping[str, Any]) -> JournalQuery:
        """From the contract's `JournalQuery` (already validated)."""
        return cls(
            method=data.get("method"),
            path=data.get("path"),
            operation=data.get("operation"),
            status=data.get("status"),
            user=data.get("user"),
            headers={k.lower(): v for k, v in data.get("headers", {}).items()},
            body=dict(data.get("body", {})),
        )

    def matches(self, entry: Mapping[str, Any]) -> bool:
        simple = (
            ("method", self.method),
            ("path", self.path),
            ("operation", self.operation),
            ("status", self.status),
            ("user_id", self.user),
        )
        if any(wanted is not None and entry.get(key) != wanted for key, wanted in simple):
            return False
        headers = entry.get("headers") or {}
        if any(headers.get(name) != value for name, value in self.headers.items()):
            return False
        return all(_field(entry.get("body"), path) == value for path, value in self.body.items())


def _field(body: Any, dotted: str) -> Any:
    """`a.b` of a JSON object; a marker that equals nothing when it is not there."""
    value = body
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


class RequestLog:
    """The journal, written in batches: one transaction per burst, not one per request.

    Entries reach the database at most `flush_after` seconds after they were recorded (a timer
    on the running event loop starts the write in a thread), and before any read; a process killed -9 loses at most that
    window of journal lines, never state. Only the newest `keep` entries are kept.
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
        if not (full or start_timer):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()
            return
        # Off the loop: the write may wait for another process's (or a restore's) lock.
        if full:
            loop.run_in_executor(None, self._flush_in_background)
        else:
            self._timer = loop.call_later(
                self._flush_after, lambda: loop.run_in_executor(None, self._flush_in_background)
            )

    def discard(self) -> None:
        """Forget the lines not written yet (their state is being dropped)."""
        with self._lock:
            self._pending = []
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    def _flush_in_background(self) -> None:
        with contextlib.suppress(StoreUnavailable):  # the lines wait for the next flush
            self.flush()

    def flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, []
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if not pending:
            return
        rows = [
            (
                _timestamp(e.at), e.method, e.path, e.status, round(e.latency_ms, 3), e.error_code,
                e.user_id, e.operation_id, json.dumps(headers), _stored_body(body),
            )
            for e in pending
            for headers, body in [redacted_request(e.headers, e.body)]
        ]  # fmt: skip
        try:
            self._write(rows)
        except StoreUnavailable:
            # The database is down: keep the lines for the next flush (at most `keep` of them).
            with self._lock:
                self._pending[:0] = pending[-self._keep :]
            raise

    def _write(self, rows: list[tuple[Any, ...]]) -> None:
        with self._db.write() as conn:
            conn.executemany(
                "INSERT INTO request_log (at, method, path, status, latency_ms, error_code,"
                " user_id, operation_id, headers, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            last = conn.execute("SELECT max(seq) FROM request_log").fetchone()[0]
            if last is not None:
                conn.execute("DELETE FROM request_log WHERE seq <= ?", (last - self._keep,))

    def recent(self, limit: int = 100) -> list[dict[str, Any]]:
        """The newest entries, this process's pending ones included."""
        self.flush()
        return recent_requests(self._db, limit)

    def find(self, query: JournalQuery, limit: int = 100) -> tuple[int, list[dict[str, Any]]]:
        """How many entries match, and the newest `limit` of them."""
        found = [e for e in self.recent(self._keep) if query.matches(e)]
        return len(found), found[:limit]

    def clear(self) -> int:
        self.flush()
        with self._db.write() as conn:
            return int(conn.execute("DELETE FROM request_log").rowcount)


def recent_requests(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(
            "SELECT seq, at, method, path, operation_id, status, latency_ms, error_code, user_id,"
            " headers, body FROM request_log ORDER BY seq DESC LIMIT ?",
            (limit,),
        ).fetchall()
    entries = []
    for row in rows:
        entry = dict(row)
        entry["operation"] = entry.pop("operation_id")
        entry["headers"] = json.loads(entry["headers"]) if entry["headers"] else {}
        entry["body"] = json.loads(entry["body"]) if entry["body"] else None
        entries.append(entry)
    return entries
