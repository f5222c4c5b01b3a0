"""The origin events: `MissionOriginBound` after a successful bind, `MissionOriginUnbound` after
the SaaS removed the link (observational telemetry; the SaaS calls are the authoritative writes).

Built from the mission's meta and its origin ticket, and validated against the contract's
`MissionOriginBoundPayload` and `EventEnvelope` before it goes anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kitty_contracts import (
    EventEnvelope,
    MissionMeta,
    MissionOriginBoundPayload,
    MissionOriginUnboundPayload,
    OriginLink,
    OriginTicket,
)
from kitty_contracts.validation import ComponentName, validator
from pydantic import BaseModel, ValidationError

from .errors import InvalidRequestError
from .ulid import new_ulid

MISSION_ORIGIN_BOUND = "MissionOriginBound"
MISSION_ORIGIN_UNBOUND = "MissionOriginUnbound"
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
    _check_payload("MissionOriginBoundPayload", MissionOriginBoundPayload, payload)
    return _envelope(
        MISSION_ORIGIN_BOUND,
        meta.mission_id,
        payload,
        now=now,
        event_id=event_id,
        project_uuid=project_uuid,
        project_slug=project_slug,
        team_slug=team_slug,
    )


def build_mission_origin_unbound(
    meta: MissionMeta,
    removed: OriginLink,
    *,
    now: Callable[[], datetime] | None = None,
    event_id: str | None = None,
    project_uuid: str | None = None,
    project_slug: str | None = None,
    team_slug: str | None = None,
) -> EventEnvelope:
    """The validated `MissionOriginUnbound` envelope of a link the SaaS answered `removed`.

    Raises:
        InvalidRequestError: the payload or envelope would break the contract.
    """
    payload: dict[str, Any] = {
        "mission_slug": meta.mission_slug,
        "mission_id": meta.mission_id,
        "provider": removed.provider.value,
        "external_issue_id": removed.external_issue_id,
        "external_issue_key": removed.external_issue_key,
        "external_issue_url": removed.external_issue_url,
        "title": removed.external_title,
    }
    _check_payload("MissionOriginUnboundPayload", MissionOriginUnboundPayload, payload)
    return _envelope(
        MISSION_ORIGIN_UNBOUND,
        meta.mission_id,
        payload,
        now=now,
        event_id=event_id,
        project_uuid=project_uuid,
        project_slug=project_slug,
        team_slug=team_slug,
    )


def _check_payload(
    component: ComponentName, model: type[BaseModel], payload: dict[str, Any]
) -> None:
    """`payload` against the contract's payload schema `component`, by schema and by model.

    Raises:
        InvalidRequestError: it would break the contract.
    """
    _check(component, payload)
    try:
        model.model_validate(payload)
    except ValidationError as exc:
        raise InvalidRequestError(f"invalid {component}: {exc}") from exc


def _envelope(
    event_type: str,
    mission_id: str,
    payload: dict[str, Any],
    *,
    now: Callable[[], datetime] | None,
    event_id: str | None,
    project_uuid: str | None,
    project_slug: str | None,
    team_slug: str | None,
) -> EventEnvelope:
    identifier = event_id or new_ulid()
    timestamp = (now or _utcnow)().astimezone(UTC)
    envelope: dict[str, Any] = {
        "event_id": identifier,
        "event_type": event_type,
        # The aggregate is the mission by its ULID (contracts/CHANGELOG.md 3.1.0 says why).
        "aggregate_id": mission_id,
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
        raise InvalidRequestError(f"invalid {event_type} envelope: {exc}") from exc


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
