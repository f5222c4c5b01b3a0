"""Received events, per-event receipts and dossier artifacts.

Events belong to a team: the one their `team_slug` names (by id or slug; the user must be a
member), else the user's private teamspace. De-duplication is per team, so one team's event ids
never shadow or reveal another's.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from kitty_contracts import DossierPushRequest, EventResult
from kitty_contracts.validation import ComponentName, openapi_document, validator

from kitty_mock_saas.ids import utc_now

from .db import Database
from .directory import Team, origin_providers, teams_of

# Event types whose payload names an origin provider the team's policy must allow.
_ORIGIN_EVENTS = ("MissionOriginBound", "MissionOriginUnbound")


@cache
def _payload_schemas() -> dict[str, ComponentName]:
    """The contract's `EventEnvelope.x-event-payloads`: event type → its payload's schema."""
    envelope = openapi_document()["components"]["schemas"]["EventEnvelope"]
    return dict(envelope.get("x-event-payloads", {}))


def _first_error(component: ComponentName, value: Any, prefix: str) -> str | None:
    errors = sorted(validator(component).iter_errors(value), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    first = errors[0]
    where = "/".join([prefix, *(str(p) for p in first.absolute_path)]).strip("/") or "(event)"
    return f"{where}: {first.message}"[:4096]


def _reject_reason(event: Any) -> str | None:
    reason = _first_error("EventEnvelope", event, "")
    if reason is not None:
        return reason
    schema = _payload_schemas().get(event["event_type"])
    return _first_error(schema, event["payload"], "payload") if schema else None


def _policy_reason(allowed: list[str], team: Team, event: dict[str, Any]) -> str | None:
    """Why the team refuses an origin event: its provider is not one of the team's origins."""
    if event["event_type"] not in _ORIGIN_EVENTS:
        return None
    provider = event["payload"]["provider"]
    if provider in allowed:
        return None
    return (
        f"payload/provider: {provider} is not an origin provider of team {team.slug} "
        f"(its policy allows {', '.join(allowed)})"
    )


class _Teams:
    """The teams an event of this user may belong to."""

    def __init__(self, teams: list[Team]) -> None:
        self._by_ref = {ref: team for team in teams for ref in (team.id, team.slug)}
        private = [team for team in teams if team.is_private]
        fallback = private or (teams if len(teams) == 1 else [])
        self._default = fallback[0] if fallback else None

    def of(self, event: dict[str, Any]) -> tuple[Team | None, str | None]:
        """The event's team, or None and why it has none."""
        ref = event.get("team_slug")
        if ref is None:
            if self._default is None:
                return None, "team_slug: required for a user without a private teamspace"
            return self._default, None
        team = self._by_ref.get(ref)
        if team is None:
            return None, f"team_slug: {str(ref)[:256]!r} is not a team of this user"
        return team, None


def ingest(db: Database, events: list[Any], *, user_id: str) -> list[EventResult]:
    """Store each valid, new event in its team; one result per event, in order."""
    results: list[EventResult] = []
    now = utc_now()
    teams = _Teams(teams_of(db, user_id))
    # Read before the write transaction: each team's origin provider policy.
    policies = {team.id: origin_providers(db, team.id) for team in teams_of(db, user_id)}
    with db.write() as conn:
        for index, event in enumerate(events):
            raw_id = event.get("event_id") if isinstance(event, dict) else None
            event_id = (
                raw_id if isinstance(raw_id, str) and 0 < len(raw_id) <= 256 else f"index:{index}"
            )
            event_type = event.get("event_type") if isinstance(event, dict) else None
            team: Team | None = None
            category = "validation"
            reason = _reject_reason(event)
            if reason is None:
                team, reason = teams.of(event)
                category = "authorization"
                if team is not None and reason is None:
                    reason = _policy_reason(policies[team.id], team, event)
            if reason is not None or team is None:
                status = "rejected"
            elif conn.execute(
                "SELECT 1 FROM events WHERE team_id = ? AND event_id = ?", (team.id, event_id)
            ).fetchone():
                status = "duplicate"
            else:
                status = "accepted"
                conn.execute(
                    "INSERT INTO events (team_id, event_id, event_type, aggregate_id, user_id,"
                    " received_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        team.id,
                        event_id,
                        event_type,
                        event["aggregate_id"],
                        user_id,
                        now,
                        json.dumps(event, sort_keys=True),
                    ),
                )
            conn.execute(
                "INSERT INTO event_receipts (team_id, event_id, event_type, status, reason,"
                " user_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    team.id if team is not None else None,
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
                result.update(error=reason, error_category=category)
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
            "INSERT INTO dossier_artifacts (project_uuid, mission_slug, artifact_path,"
            " content_hash, hash_algorithm, content_body, stored_at, user_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
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
