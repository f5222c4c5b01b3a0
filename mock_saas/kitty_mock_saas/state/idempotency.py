"""Idempotency records: the final answer to a write, kept under its Idempotency-Key.

A record is an opaque answer (status and body); what the answer says is decided by the API layer.
The key is scoped per team, user and operation, so one client's key never replays another's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kitty_mock_saas.ids import utc_now
from kitty_mock_saas.store import Connection

from .db import Database


@dataclass(frozen=True)
class StoredAnswer:
    """A final answer to a write; `replayed` when it comes from an earlier request."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


class KeyReusedError(Exception):
    """The key was used before with a different request body."""


def request_hash(body: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


def _lookup(conn: Connection, scope: str, key: str, digest: str) -> StoredAnswer | None:
    row = conn.execute(
        "SELECT request_hash, status, body FROM idempotency_records WHERE scope = ? AND key = ?",
        (scope, key),
    ).fetchone()
    if row is None:
        return None
    if row["request_hash"] != digest:
        raise KeyReusedError(key)
    return StoredAnswer(row["status"], json.loads(row["body"]), replayed=True)


def replay(
    db: Database, scope: str, key: str | None, raw_body: dict[str, Any]
) -> StoredAnswer | None:
    """The stored answer for (scope, key), if any. Raises: KeyReusedError."""
    if key is None:
        return None
    with db.read() as conn:
        return _lookup(conn, scope, key, request_hash(raw_body))


def once(
    db: Database,
    scope: str,
    key: str | None,
    raw_body: dict[str, Any],
    produce: Callable[[Connection], StoredAnswer],
) -> StoredAnswer:
    """Replay the stored answer for (scope, key), or produce and remember a new one, atomically.

    `produce` runs inside the write transaction; an exception it raises rolls everything back and
    remembers nothing. Raises: KeyReusedError.
    """
    digest = request_hash(raw_body)
    with db.write() as conn:
        if key is not None:
            stored = _lookup(conn, scope, key, digest)
            if stored is not None:
                return stored
        answer = produce(conn)
        if key is not None:
            conn.execute(
                "INSERT INTO idempotency_records (scope, key, request_hash, status, body,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (scope, key, digest, answer.status, json.dumps(answer.body), utc_now()),
            )
    return answer
