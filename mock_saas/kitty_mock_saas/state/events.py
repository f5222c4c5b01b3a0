"""Received events (deduplicated by event_id), per-event receipts and dossier artifacts."""

from __future__ import annotations

import json
from typing import Any

from kitty_contracts import DossierPushRequest, EventResult
from kitty_contracts.validation import validator

from kitty_mock_saas.ids import utc_now

from .db import Database


def _reject_reason(event: Any) -> str | None:
    errors = sorted(
        validator("EventEnvelope").iter_errors(event), key=lambda e: list(e.absolute_path)
    )
    if not errors:
        return None
    first = errors[0]
    where = "/".join(str(p) for p in first.absolute_path) or "(event)"
    return f"{where}: {first.message}"[:4096]


def ingest(db: Database, events: list[Any], *, user_id: str) -> list[EventResult]:
    """Store each valid, new event; one result per event, in order."""
    results: list[EventResult] = []
    now = utc_now()
    with db.write() as conn:
        for index, event in enumerate(events):
            raw_id = event.get("event_id") if isinstance(event, dict) else None
            event_id = (
                raw_id if isinstance(raw_id, str) and 0 < len(raw_id) <= 256 else f"index:{index}"
            )
            event_type = event.get("event_type") if isinstance(event, dict) else None
            reason = _reject_reason(event)
            if reason is not None:
                status = "rejected"
            elif conn.execute("SELECT 1 FROM events WHERE event_id = ?", (event_id,)).fetchone():
                status = "duplicate"
            else:
                status = "accepted"
                conn.execute(
                    "INSERT INTO events (event_id, event_type, aggregate_id, user_id, received_at, body)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        event_id,
                        event_type,
                        event["aggregate_id"],
                        user_id,
                        now,
                        json.dumps(event, sort_keys=True),
                    ),
                )
            conn.execute(
                "INSERT INTO event_receipts (event_id, event_type, status, reason, user_id, received_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    event_id,
                    event_type if isinstance(event_type, str) else None,
                    status,
                    reason,
                    user_id,
                    now,
                ),
            )
            result: dict[str, Any] = {"event_id": event_id, "status": status}
            if reason is not None:
                result.update(error=reason, error_category="validation")
            results.append(EventResult.model_validate(result))
    return results


def list_events(
    db: Database, *, event_type: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Stored events, newest first, as received."""
    with db.read() as conn:
        if event_type:
            rows = conn.execute(
                "SELECT body, received_at FROM events WHERE event_type = ? ORDER BY rowid DESC LIMIT ?",
                (event_type, limit),
            ).fetchall()
        else:
            rows = conn.execute(
                "SELECT body, received_at FROM events ORDER BY rowid DESC LIMIT ?", (limit,)
            ).fetchall()
    return [{"received_at": r["received_at"], "event": json.loads(r["body"])} for r in rows]


def list_receipts(db: Database, limit: int = 200) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(
            "SELECT event_id, event_type, status, reason, user_id, received_at FROM event_receipts"
            " ORDER BY seq DESC LIMIT ?",
            (limit,),
        ).fetchall()
    return [dict(r) for r in rows]


def store_artifact(db: Database, push: DossierPushRequest, *, user_id: str) -> bool:
    """Store an artifact body; False when the same content was stored before."""
    with db.write() as conn:
        cursor = conn.execute(
            "INSERT OR IGNORE INTO dossier_artifacts (project_uuid, mission_slug, artifact_path,"
            " content_hash, hash_algorithm, content_body, stored_at, user_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                push.project_uuid,
                push.mission_slug,
                push.artifact_path,
                push.content_hash,
                push.hash_algorithm,
                push.content_body,
                utc_now(),
                user_id,
            ),
        )
        return cursor.rowcount == 1


def list_artifacts(db: Database, limit: int = 200) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(
            "SELECT project_uuid, mission_slug, artifact_path, content_hash, hash_algorithm,"
            " length(content_body) AS size, stored_at FROM dossier_artifacts"
            " ORDER BY stored_at DESC LIMIT ?",
            (limit,),
        ).fetchall()
    return [dict(r) for r in rows]
