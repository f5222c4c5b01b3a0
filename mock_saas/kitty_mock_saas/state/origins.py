"""Mission origin links, idempotency records and asynchronous bind operations.

The SaaS record is authoritative: one origin per (team, mission). The same issue again is the
existing link; another issue is a conflict. Each write runs in one `BEGIN IMMEDIATE` transaction,
so two workers can never store two origins for one mission.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kitty_contracts import ErrorCode, Operation, OriginBindRequest, OriginBindResponse

from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.ids import ulid, utc_now

from .db import Database
from .directory import ResourceMapping


@dataclass(frozen=True)
class StoredAnswer:
    """A final answer to a write, kept under its Idempotency-Key."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


def request_hash(body: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


def _link_response(row: sqlite3.Row, outcome: str) -> dict[str, Any]:
    return OriginBindResponse.model_validate(
        {
            "origin_link_id": row["origin_link_id"],
            "bound_at": row["bound_at"],
            "outcome": outcome,
            "mission_id": row["mission_id"],
            "mission_slug": row["mission_slug"],
            "provider": row["provider"],
            "resource_type": row["resource_type"],
            "resource_id": row["resource_id"],
            "external_issue_id": row["external_issue_id"],
            "external_issue_key": row["external_issue_key"],
            "external_issue_url": row["external_issue_url"],
            "external_title": row["external_title"],
        }
    ).model_dump(mode="json")


def _bind(
    conn: sqlite3.Connection,
    *,
    team_id: str,
    user_id: str,
    mapping: ResourceMapping,
    request: OriginBindRequest,
    idempotency_key: str | None,
) -> StoredAnswer:
    existing = conn.execute(
        "SELECT * FROM origin_links WHERE team_id = ? AND mission_id = ?",
        (team_id, request.mission_id),
    ).fetchone()
    if existing is not None:
        same = (existing["provider"], existing["external_issue_id"]) == (
            request.provider.value,
            request.external_issue_id,
        )
        if same:
            return StoredAnswer(200, _link_response(existing, "existing"))
        error = ApiError(
            ErrorCode.origin_already_bound,
            f"Mission {request.mission_id} is already bound to {existing['external_issue_key']}; "
            f"a mission has one origin ticket. Create a new mission for {request.external_issue_key}.",
        )
        body = error.envelope(idempotency_key=idempotency_key, request_id=None).model_dump(
            mode="json"
        )
        return StoredAnswer(409, body)
    slug = request.mission_slug if isinstance(request.mission_slug, str) else None
    status = request.external_status if isinstance(request.external_status, str) else None
    conn.execute(
        "INSERT INTO origin_links (origin_link_id, team_id, mission_id, mission_slug, provider,"
        " resource_type, resource_id, external_issue_id, external_issue_key, external_issue_url,"
        " external_title, external_status, bound_at, bound_by, idempotency_key)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            f"oln_{ulid()}",
            team_id,
            request.mission_id,
            slug,
            request.provider.value,
            mapping.resource_type,
            mapping.resource_id,
            request.external_issue_id,
            request.external_issue_key,
            request.external_issue_url,
            request.external_title,
            status,
            utc_now(),
            user_id,
            idempotency_key,
        ),
    )
    row = conn.execute(
        "SELECT * FROM origin_links WHERE team_id = ? AND mission_id = ?",
        (team_id, request.mission_id),
    ).fetchone()
    return StoredAnswer(200, _link_response(row, "created"))


def _replay(conn: sqlite3.Connection, scope: str, key: str, digest: str) -> StoredAnswer | None:
    row = conn.execute(
        "SELECT request_hash, status, body FROM idempotency_records WHERE scope = ? AND key = ?",
        (scope, key),
    ).fetchone()
    if row is None:
        return None
    if row["request_hash"] != digest:
        raise ApiError(
            ErrorCode.idempotency_key_reused,
            "This Idempotency-Key was used for a different request; use a new key for a new write.",
            details=[("header.Idempotency-Key", "reused with a different body")],
        )
    return StoredAnswer(row["status"], json.loads(row["body"]), replayed=True)


def _remember(
    conn: sqlite3.Connection, scope: str, key: str, digest: str, answer: StoredAnswer
) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO idempotency_records (scope, key, request_hash, status, body, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (scope, key, digest, answer.status, json.dumps(answer.body), utc_now()),
    )


def _idempotent(
    db: Database,
    scope: str,
    idempotency_key: str | None,
    raw_body: dict[str, Any],
    produce: Callable[[sqlite3.Connection], StoredAnswer],
) -> StoredAnswer:
    """Replay the stored answer for (scope, key), or produce and remember a new one, atomically."""
    digest = request_hash(raw_body)
    with db.write() as conn:
        if idempotency_key is not None:
            replay = _replay(conn, scope, idempotency_key, digest)
            if replay is not None:
                return replay
        answer = produce(conn)
        if idempotency_key is not None:
            _remember(conn, scope, idempotency_key, digest, answer)
    return answer


def bind_origin(
    db: Database,
    *,
    team_id: str,
    user_id: str,
    mapping: ResourceMapping,
    request: OriginBindRequest,
    raw_body: dict[str, Any],
    idempotency_key: str | None,
) -> StoredAnswer:
    """Bind now: replay, conflict or new link, all in one transaction."""
    return _idempotent(
        db, f"{team_id}:{user_id}:bind", idempotency_key, raw_body,
        lambda conn: _bind(conn, team_id=team_id, user_id=user_id, mapping=mapping,
                           request=request, idempotency_key=idempotency_key),
    )  # fmt: skip


def start_operation(
    db: Database,
    *,
    team_id: str,
    user_id: str,
    mapping: ResourceMapping,
    raw_body: dict[str, Any],
    idempotency_key: str | None,
    poll_after_seconds: float,
) -> StoredAnswer:
    """Accept a bind for later: a pending operation (replayed under the same key)."""

    def accept(conn: sqlite3.Connection) -> StoredAnswer:
        now = utc_now()
        operation_id = f"op_{ulid()}"
        stored_request = {"body": raw_body, "mapping": mapping.__dict__}
        conn.execute(
            "INSERT INTO operations (operation_id, team_id, user_id, status, request,"
            " idempotency_key, created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?, ?, ?)",
            (operation_id, team_id, user_id, json.dumps(stored_request), idempotency_key, now, now),
        )
        body = Operation.model_validate(
            {
                "operation_id": operation_id,
                "status": "pending",
                "created_at": now,
                "updated_at": now,
                "poll_after_seconds": poll_after_seconds,
            }
        ).model_dump(mode="json")
        return StoredAnswer(202, body)

    return _idempotent(db, f"{team_id}:{user_id}:bind-async", idempotency_key, raw_body, accept)


def poll_operation(
    db: Database,
    *,
    team_id: str,
    operation_id: str,
    steps: int,
    poll_after_seconds: float,
) -> dict[str, Any]:
    """Advance the operation one poll; after `steps` polls the bind runs and it completes."""
    with db.write() as conn:
        row = conn.execute(
            "SELECT * FROM operations WHERE operation_id = ? AND team_id = ?",
            (operation_id, team_id),
        ).fetchone()
        if row is None:
            raise ApiError(
                ErrorCode.operation_not_found, f"No operation {operation_id} for this team."
            )
        status, polls = row["status"], row["polls"] + 1
        result, error = row["result"], row["error"]
        if status in ("pending", "running"):
            if polls < steps:
                status = "running"
            else:
                stored = json.loads(row["request"])
                answer = _bind(
                    conn,
                    team_id=team_id,
                    user_id=row["user_id"],
                    mapping=ResourceMapping(**stored["mapping"]),
                    request=OriginBindRequest.model_validate(stored["body"]),
                    idempotency_key=row["idempotency_key"],
                )
                if answer.status == 200:
                    status, result = "completed", json.dumps(answer.body)
                else:
                    status, error = "failed", json.dumps(answer.body)
            conn.execute(
                "UPDATE operations SET status = ?, polls = ?, result = ?, error = ?, updated_at = ?"
                " WHERE operation_id = ?",
                (status, polls, result, error, utc_now(), operation_id),
            )
        row = conn.execute(
            "SELECT * FROM operations WHERE operation_id = ?", (operation_id,)
        ).fetchone()
    body: dict[str, Any] = {
        "operation_id": row["operation_id"],
        "status": row["status"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
    if row["status"] in ("pending", "running"):
        body["poll_after_seconds"] = poll_after_seconds
    if row["result"]:
        body["result"] = json.loads(row["result"])
    if row["error"]:
        body["error"] = json.loads(row["error"])
    return Operation.model_validate(body).model_dump(mode="json")


def list_links(db: Database, limit: int = 200) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(
            "SELECT * FROM origin_links ORDER BY bound_at DESC LIMIT ?", (limit,)
        ).fetchall()
    return [dict(r) for r in rows]
