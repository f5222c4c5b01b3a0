"""MissionOriginBound: built from the contract, validated, mission as the aggregate."""

from __future__ import annotations

import pytest
from kitty_contracts import MissionMeta
from kitty_contracts.validation import validator
from kitty_origin import InvalidRequestError, build_mission_origin_bound
from kitty_origin.events import wire_event
from kitty_origin.ulid import is_ulid, new_ulid

from tests.client.fakes import START
from tests.client.test_meta_store import META, TICKET


def test_envelope_carries_the_mission_and_the_origin_fr_012() -> None:
    meta = MissionMeta.model_validate(META)
    envelope = build_mission_origin_bound(
        meta, TICKET, now=lambda: START, project_uuid="p-1", project_slug="acme-web",
        team_slug="acme",
    )  # fmt: skip
    body = envelope.model_dump(mode="json")
    assert body["event_type"] == "MissionOriginBound"
    assert (body["aggregate_id"], body["aggregate_type"]) == (meta.mission_id, "Mission")
    assert body["schema_version"] == "3.0.0"
    assert body["timestamp"] == "2026-04-01T09:30:00Z"
    assert body["correlation_id"] == body["event_id"]
    assert is_ulid(body["event_id"])
    assert body["payload"] == {
        "mission_slug": meta.mission_slug,
        "mission_id": meta.mission_id,
        "provider": "linear",
        "external_issue_id": TICKET.external_issue_id,
        "external_issue_key": "WEB-123",
        "external_issue_url": TICKET.external_issue_url,
        "title": "Add Clerk auth",
    }
    assert not list(validator("EventEnvelope").iter_errors(wire_event(envelope)))


def test_payload_outside_the_contract_is_refused() -> None:
    meta = MissionMeta.model_validate({**META, "mission_slug": "Not A Slug"})
    with pytest.raises(InvalidRequestError, match="MissionOriginBoundPayload"):
        build_mission_origin_bound(meta, TICKET)


def test_wire_event_adds_the_delivery_fields() -> None:
    envelope = build_mission_origin_bound(MissionMeta.model_validate(META), TICKET)
    wire = wire_event(envelope)
    assert wire["type"] == "event"
    assert wire["spec_kitty_delivery_identity"] == envelope.event_id


def test_ulids_are_valid_and_time_ordered() -> None:
    first, second = new_ulid(1_000), new_ulid(2_000)
    assert is_ulid(first)
    assert is_ulid(second)
    assert first < second
    assert new_ulid(0, randbytes=lambda n: bytes(n)) == "0" * 26
