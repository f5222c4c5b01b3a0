"""The durable event outbox (SQLite, WAL, synchronous=FULL) and its delivery to the SaaS.

An event is committed here before any delivery is tried, and keeps its `event_id` forever, so a
crash, an outage or a lost answer can only cause a re-send that the server deduplicates.

States: `pending` (to deliver; `next_attempt_at` holds the backoff), `delivered` (accepted or
duplicate), `rejected` (quarantined with its reason; never re-sent automatically). A row is
quarantined when the server refuses it for good, or when it cannot be read back or sent at all
(category `unreadable` / `unsendable`): one poison row never blocks the others.
"""

from __future__ import annotations

import json
import random as _random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kitty_contracts import EventEnvelope, EventResultStatus
from pydantic import BaseModel, ValidationError

from . import _outbox_pool
from .errors import (
    APIConnectionError,
    APIStatusError,
    BadRequestError,
    ContractViolationError,
    InvalidRequestError,
    OutboxError,
    PayloadTooLargeError,
    ProtocolMismatchError,
    UnprocessableEntityError,
)
from .events import wire_event
from .paths import StrPath, as_path
from .tracker_client import SaaSTrackerClient

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    envelope TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    last_error TEXT,
    error_category TEXT,
    enqueued_at REAL NOT NULL,
    settled_at REAL
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox_events (state, next_attempt_at, seq);
"""


_ALL = 1_000_000
UNREADABLE = "unreadable"
UNSENDABLE = "unsendable"
GITIGNORE_LINE = "/outbox.sqlite3*"


class RejectedEvent(BaseModel):
    """A quarantined event, kept aside with its reason (the server's, or why it is unusable)."""

    event_id: str
    event_type: str
    reason: str | None
    error_category: str | None


class FlushResult(BaseModel):
    """What one `flush_events()` did; `pending` is what is left for later."""

    delivered: int = 0
    duplicates: int = 0
    rejected: int = 0
    retried: int = 0
    pending: int = 0
    batches: int = 0
    stopped_reason: str | None = None
    # Every event this flush set aside (refused, unreadable or unsendable), with its reason.
    quarantined: list[RejectedEvent] = []


class EventOutbox:
    """A durable queue of event envelopes in one SQLite file.

    >>> outbox = EventOutbox(Path("/tmp/outbox.sqlite3"))  # doctest: +SKIP
    >>> outbox.enqueue(envelope)  # doctest: +SKIP
    """

    def __init__(self, path: StrPath, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path = as_path(path)
        self._clock = clock
        self._closed = False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # A connection this process already opened (and initialised) when there is one.
            self._db = _outbox_pool.checkout(path, _SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise OutboxError(f"{path}: the event outbox cannot be opened ({exc})") from exc

    def close(self) -> None:
        """Release the database (its connection stays cached for the next open in this process)."""
        if not self._closed:
            self._closed = True
            _outbox_pool.checkin(self.path, self._db)

    def __enter__(self) -> EventOutbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def enqueue(self, envelope: EventEnvelope) -> str:
        """Durably queue an event (committed with synchronous=FULL); returns its id.

        Queuing the same `event_id` again is a no-op.
        """
        text = json.dumps(envelope.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        problem = _unreadable(text)
        if problem is not None:
            raise InvalidRequestError(f"event {envelope.event_id} cannot be queued: {problem}")
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO outbox_events (event_id, event_type, envelope, enqueued_at)"
                " VALUES (?, ?, ?, ?)",
                (envelope.event_id, envelope.event_type, text, self._clock()),
            )
        return envelope.event_id

    def due(self, limit: int) -> list[EventEnvelope]:
        """Pending events whose backoff has passed, oldest first (unreadable rows quarantined)."""
        return self.read_due(limit)[0]

    def read_due(self, limit: int) -> tuple[list[EventEnvelope], list[RejectedEvent]]:
        """Due events, and the rows quarantined on the way because they cannot be read."""
        rows = self._db.execute(
            "SELECT event_id, event_type, envelope FROM outbox_events"
            " WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY seq LIMIT ?",
            (self._clock(), limit),
        ).fetchall()
        events: list[EventEnvelope] = []
        poison: list[RejectedEvent] = []
        for event_id, event_type, text in rows:
            problem = _unreadable(text)
            if problem is None:
                events.append(EventEnvelope.model_validate_json(text))
                continue
            self.mark_rejected(event_id, problem, UNREADABLE)
            poison.append(
                RejectedEvent(
                    event_id=event_id,
                    event_type=event_type,
                    reason=problem,
                    error_category=UNREADABLE,
                )
            )
        return events, poison

    def counts(self) -> dict[str, int]:
        """Number of events per state."""
        rows = self._db.execute("SELECT state, COUNT(*) FROM outbox_events GROUP BY state")
        counts = {"pending": 0, "delivered": 0, "rejected": 0}
        counts.update({state: n for state, n in rows})
        return counts

    def quarantined(self) -> list[RejectedEvent]:
        """Every event kept aside, with its reason (same as `rejected()`)."""
        return self.rejected()

    def rejected(self) -> list[RejectedEvent]:
        """The events kept aside, with their reasons."""
        rows = self._db.execute(
            "SELECT event_id, event_type, last_error, error_category FROM outbox_events"
            " WHERE state = 'rejected' ORDER BY seq"
        ).fetchall()
        return [
            RejectedEvent(event_id=a, event_type=b, reason=c, error_category=d)
            for a, b, c, d in rows
        ]

    def state_of(self, event_id: str) -> str | None:
        """`pending`, `delivered`, `rejected`, or None for an unknown id."""
        row = self._db.execute(
            "SELECT state FROM outbox_events WHERE event_id = ?", (event_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def mark_delivered(self, event_ids: list[str]) -> None:
        """Settle events the server accepted (or already had)."""
        with self._transaction() as db:
            db.executemany(
                "UPDATE outbox_events SET state = 'delivered', settled_at = ?, last_error = NULL"
                " WHERE event_id = ? AND state = 'pending'",
                [(self._clock(), event_id) for event_id in event_ids],
            )

    def mark_rejected(self, event_id: str, reason: str | None, category: str | None) -> None:
        """Keep an event aside with the server's reason."""
        with self._transaction() as db:
            db.execute(
                "UPDATE outbox_events SET state = 'rejected', settled_at = ?, last_error = ?,"
                " error_category = ? WHERE event_id = ? AND state = 'pending'",
                (self._clock(), reason, category, event_id),
            )

    def mark_retry(self, event_ids: list[str], error: str, backoff: Callable[[int], float]) -> None:
        """Count a failed attempt and push each event's next attempt back (`backoff(attempts)`)."""
        now = self._clock()
        with self._transaction() as db:
            for event_id in event_ids:
                row = db.execute(
                    "SELECT attempts FROM outbox_events WHERE event_id = ?", (event_id,)
                ).fetchone()
                attempts = int(row[0]) + 1 if row else 1
                db.execute(
                    "UPDATE outbox_events SET attempts = ?, next_attempt_at = ?, last_error = ?"
                    " WHERE event_id = ? AND state = 'pending'",
                    (attempts, now + backoff(attempts), error, event_id),
                )


def outbox_backoff(
    attempts: int,
    *,
    initial: float = 1.0,
    cap: float = 300.0,
    random: Callable[[], float] = _random.random,
) -> float:
    """Seconds before the next delivery attempt of an event that failed `attempts` times."""
    base = min(initial * 2 ** max(0, attempts - 1), cap)
    return float(base * (1.0 - 0.25 * random()))


def flush_outbox(
    outbox: EventOutbox,
    client: SaaSTrackerClient,
    *,
    batch_size: int = 100,
    max_batches: int = 100,
    random: Callable[[], float] = _random.random,
    budget_seconds: float | None = None,
    monotonic: Callable[[], float] = time.monotonic,
) -> FlushResult:
    """Deliver the due events in batches; stop at the first sign the SaaS is unavailable.

    Accepted or duplicate: delivered. Rejected, unreadable or unsendable: quarantined with the
    reason. A missing result or a transient failure (connection, 401, 429, 5xx): retried in a
    later flush, with backoff. With `budget_seconds`, the whole flush ends within that time.
    """
    result = FlushResult()
    deadline = None if budget_seconds is None else monotonic() + budget_seconds

    def backoff(attempts: int) -> float:
        return outbox_backoff(attempts, random=random)

    size = max(1, min(batch_size, 1000))
    while result.batches < max_batches:
        left = None if deadline is None else deadline - monotonic()
        if left is not None and left <= 0:
            result.stopped_reason = "the delivery budget is spent; the rest waits for a later flush"
            break
        batch, poison = outbox.read_due(size)
        result.quarantined.extend(poison)
        if not batch:
            if poison:
                continue
            break
        result.batches += 1
        try:
            answer = client.send_event_batch(
                [wire_event(event) for event in batch], deadline_seconds=left
            )
        except PayloadTooLargeError:
            if size == 1:
                _quarantine(outbox, result, batch[0], "payload too large", "validation")
                result.rejected += 1
                continue
            size = max(1, size // 2)
            continue
        except (BadRequestError, UnprocessableEntityError, InvalidRequestError) as exc:
            # Refused by the server (4xx) or by the client before sending: isolate by bisection.
            if len(batch) == 1:
                local = isinstance(exc, InvalidRequestError)
                category = UNSENDABLE if local else exc.error_code
                _quarantine(outbox, result, batch[0], exc.message, category)
                result.rejected += 0 if local else 1
                continue
            size = max(1, len(batch) // 2)
            continue
        except ProtocolMismatchError as exc:
            result.stopped_reason = f"protocol mismatch: {exc.message}"
            break
        except (APIConnectionError, APIStatusError, ContractViolationError) as exc:
            # The SaaS is unavailable (or answering nonsense): every due event waits, not just
            # this batch, so an outage costs one request per flush.
            waiting = [e.event_id for e in outbox.due(_ALL)]
            outbox.mark_retry(waiting, exc.message, backoff)
            result.retried += len(waiting)
            status = f" {exc.status_code}" if exc.status_code is not None else ""
            result.stopped_reason = f"SaaS unavailable{status}: {exc.message}"
            break
        _settle(outbox, batch, answer.results, result, backoff)
    result.pending = outbox.counts()["pending"]
    return result


def ensure_git_ignored(outbox_file: Path) -> None:
    """Keep an outbox inside a work tree out of git: a `.gitignore` line next to it."""
    ignore = outbox_file.parent / ".gitignore"
    line = f"/{outbox_file.name}*"
    try:
        existing = ignore.read_text(encoding="utf-8") if ignore.exists() else ""
        if line not in existing.splitlines():
            prefix = "" if not existing or existing.endswith("\n") else "\n"
            with ignore.open("a", encoding="utf-8") as handle:
                handle.write(f"{prefix}# spec-kitty's local event outbox (SQLite + WAL)\n{line}\n")
    except OSError:
        pass  # a read-only tree: the outbox still works, git just sees the file


def _unreadable(text: str) -> str | None:
    """Why a stored envelope cannot be read back, or None when it can."""
    try:
        EventEnvelope.model_validate_json(text)
    except (ValidationError, ValueError, RecursionError) as exc:
        return f"cannot be read back as an EventEnvelope: {str(exc).splitlines()[0][:200]}"
    return None


def _quarantine(
    outbox: EventOutbox,
    result: FlushResult,
    event: EventEnvelope,
    reason: str,
    category: str | None,
) -> None:
    outbox.mark_rejected(event.event_id, reason, category)
    result.quarantined.append(
        RejectedEvent(
            event_id=event.event_id,
            event_type=event.event_type,
            reason=reason,
            error_category=category,
        )
    )


def _settle(
    outbox: EventOutbox,
    batch: list[EventEnvelope],
    results: list[Any],
    summary: FlushResult,
    backoff: Callable[[int], float],
) -> None:
    by_id = {item.event_id: item for item in results}
    delivered: list[str] = []
    retry: list[str] = []
    for event in batch:
        event_id = event.event_id
        item = by_id.get(event_id)
        if item is None:
            retry.append(event_id)
        elif item.status in (EventResultStatus.accepted, EventResultStatus.duplicate):
            delivered.append(event_id)
            if item.status == EventResultStatus.duplicate:
                summary.duplicates += 1
            else:
                summary.delivered += 1
        else:
            reason = item.error if isinstance(item.error, str) else None
            category = getattr(item.error_category, "value", None)
            _quarantine(outbox, summary, event, reason or "rejected by the SaaS", category)
            summary.rejected += 1
    outbox.mark_delivered(delivered)
    if retry:
        outbox.mark_retry(retry, "no result for this event in the batch answer", backoff)
        summary.retried += len(retry)
