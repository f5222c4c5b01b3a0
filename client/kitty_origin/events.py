"""The `MissionOriginBound` event: observational telemetry of a successful origin bind.

Built from the mission's meta and its origin ticket, and validated against the contract's
`MissionOriginBoundPayload` and `EventEnvelope` before it goes anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kitty_contracts import EventEnvelope, MissionMeta, MissionOriginBoundPayload, OriginTicket
from kitty_contracts.validation import ComponentName, validator
from pydantic import ValidationError

from .errors import InvalidRequestError
from .ulid import new_ulid

MISSION_ORIGIN_BOUND = "MissionOriginBound"
ENVELOPE_SCHEMA_VERSION = "3.0.0"


def build_mission_origin_bound(
    meta: MissionMeta,
    ticket: OriginTicket,
    *,
    now: Callable[[], datetime] | None = None,
    event_id: str | None = None,
    project_uuid: str | None = None,
    project_slug: str | None = None,
    team_slug: str | None = None,
) -> EventEnvelope:
    """The validated `MissionOriginBound` envelope (aggregate: the mission, by its ULID).

    Raises:
        InvalidRequestError: the payload or envelope would break the contract.
    """
    payload: dict[str, Any] = {
        "mission_slug": meta.mission_slug,
        "mission_id": meta.mission_id,
        "provider": ticket.provider.value,
        "external_issue_id": ticket.external_issue_id,
        "external_issue_key": ticket.external_issue_key,
        "external_issue_url": ticket.external_issue_url,
        "title": ticket.title,
    }
    _check("MissionOriginBoundPayload", payload)
    try:
        MissionOriginBoundPayload.model_validate(payload)
    except ValidationError as exc:
        raise InvalidRequestError(f"invalid MissionOriginBound payload: {exc}") from exc
    identifier = event_id or new_ulid()
    timestamp = (now or _utcnow)().astimezone(UTC)
    envelope: dict[str, Any] = {
        "event_id": identifier,
        "event_type": MISSION_ORIGIN_BOUND,
        "aggregate_id": meta.mission_id,
        "aggregate_type": "Mission",
        "schema_version": ENVELOPE_SCHEMA_VERSION,
        "timestamp": timestamp.isoformat().replace("+00:00", "Z"),
        "payload": payload,
        "causation_id": None,
        "correlation_id": identifier,
        "team_slug": team_slug,
        "project_uuid": project_uuid,
        "project_slug": project_slug,
    }
    _check("EventEnvelope", envelope)
    try:
        return EventEnvelope.model_validate(envelope)
    except ValidationError as exc:
        raise InvalidRequestError(f"invalid MissionOriginBound envelope: {exc}") from exc


def wire_event(envelope: EventEnvelope) -> dict[str, Any]:
    """The envelope as delivered in a batch: plus `type` and the delivery identity."""
    body = envelope.model_dump(mode="json")
    body["type"] = "event"
    body["spec_kitty_delivery_identity"] = envelope.event_id
    return body


def _check(component: ComponentName, value: dict[str, Any]) -> None:
    problems = [e.message for e in validator(component).iter_errors(value)]
    if problems:
        raise InvalidRequestError(f"invalid {component}: {'; '.join(problems)}")


def _utcnow() -> datetime:
    return datetime.now(UTC)
