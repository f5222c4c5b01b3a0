"""Event batches (plain or gzip, per-event results, dedup) and dossier pushes."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.mock_saas.conftest import ADMIN, EVENTS
from tests.mock_saas.test_auth_and_errors import assert_envelope

pytestmark = pytest.mark.both_backends

TOKEN = {"Authorization": "Bearer tok-alice"}


def origin_event(event_id: str = "01JD8Z0000000000000000000A", **payload: Any) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "event_type": "MissionOriginBound",
        "aggregate_id": "01JD8X4ZQK5M7N9P2R3S4T5V6W",
        "aggregate_type": "Mission",
        "schema_version": "3.0.0",
        "timestamp": "2026-04-01T09:30:01Z",
        "payload": {
            "mission_slug": "061-web-123-add-clerk-auth",
            "mission_id": "01JD8X4ZQK5M7N9P2R3S4T5V6W",
            "provider": "linear",
            "external_issue_id": "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d",
            "external_issue_key": "WEB-123",
            "external_issue_url": "https://linear.app/acme/issue/WEB-123/add-clerk-auth",
            "title": "Add Clerk auth",
            **payload,
        },
    }


def test_plain_batch_is_accepted_per_event(mock: TestClient) -> None:
    response = mock.post(EVENTS, json={"events": [origin_event()]}, headers=TOKEN)
    assert response.status_code == 200
    assert response.json() == {
        "results": [{"event_id": "01JD8Z0000000000000000000A", "status": "accepted"}]
    }


def test_gzip_batch_as_upstream_sends_it(mock: TestClient) -> None:
    raw = json.dumps({"events": [origin_event()]}, sort_keys=True, separators=(",", ":")).encode()
    headers = {
        **TOKEN,
        "Content-Encoding": "gzip",
        "Content-Type": "application/json",
        "X-Spec-Kitty-Sync-Protocol": "2.0",
    }
    response = mock.post(EVENTS, content=gzip.compress(raw), headers=headers)
    assert response.json()["results"][0]["status"] == "accepted"


def test_same_event_id_again_is_duplicate_and_stored_once(mock: TestClient) -> None:
    mock.post(EVENTS, json={"events": [origin_event()]}, headers=TOKEN)
    again = mock.post(EVENTS, json={"events": [origin_event(), origin_event()]}, headers=TOKEN)
    assert [r["status"] for r in again.json()["results"]] == ["duplicate", "duplicate"]
    stored = mock.get("/__admin/events", headers=ADMIN).json()["events"]
    assert len(stored) == 1


def test_bad_event_is_rejected_alone_with_a_reason(mock: TestClient) -> None:
    bad = origin_event("01JD8Z0000000000000000000B", provider="trello")
    batch = {"events": [bad, origin_event(), {"no": "id"}]}
    results = mock.post(EVENTS, json=batch, headers=TOKEN).json()["results"]
    assert [r["status"] for r in results] == ["rejected", "accepted", "rejected"]
    assert "payload/provider" in results[0]["error"]
    assert results[2]["event_id"] == "index:2"


def test_other_event_types_pass_with_any_payload(mock: TestClient) -> None:
    event = {
        **origin_event("01JD8Z0000000000000000000C"),
        "event_type": "BuildRegistered",
        "payload": {"x": 1},
    }
    assert (
        mock.post(EVENTS, json={"events": [event]}, headers=TOKEN).json()["results"][0]["status"]
        == "accepted"
    )


def test_batch_over_the_size_limit_is_413(mock: TestClient) -> None:
    huge = {"events": [origin_event(title="x" * 1000) for _ in range(600)]}
    assert_envelope(mock.post(EVENTS, json=huge, headers=TOKEN), 413, "payload_too_large")


def test_gzip_bomb_is_413_without_inflating_it(mock: TestClient) -> None:
    bomb = gzip.compress(b'{"events": [' + b" " * (50 * 1024 * 1024) + b"]}")
    headers = {**TOKEN, "Content-Encoding": "gzip"}
    assert_envelope(mock.post(EVENTS, content=bomb, headers=headers), 413, "payload_too_large")


def test_truncated_gzip_is_400(mock: TestClient) -> None:
    data = gzip.compress(json.dumps({"events": [origin_event()]}).encode())[:-12]
    headers = {**TOKEN, "Content-Encoding": "gzip"}
    assert_envelope(mock.post(EVENTS, content=data, headers=headers), 400, "malformed_request")


def test_unknown_protocol_major_is_412(mock: TestClient) -> None:
    headers = {**TOKEN, "X-Spec-Kitty-Sync-Protocol": "3.0"}
    assert_envelope(
        mock.post(EVENTS, json={"events": [origin_event()]}, headers=headers),
        412,
        "protocol_mismatch",
    )


def test_dossier_push_stores_then_says_already_exists(mock: TestClient) -> None:
    push = {
        "project_uuid": "9f1c2d3e-0000-4000-8000-000000000001",
        "mission_slug": "061-web-123-add-clerk-auth",
        "target_branch": "main",
        "mission_type": "software-dev",
        "manifest_version": "1",
        "artifact_path": "spec.md",
        "content_hash": "sha256:abc",
        "hash_algorithm": "sha256",
        "content_body": "# Spec",
        "admission_generation": 1,
        "binding_audience": "local-nonstrict:x",
    }
    first = mock.post("/api/dossier/push-content/", json=push, headers=TOKEN)
    assert first.status_code == 201
    assert first.json() == {
        "status": "stored",
        "artifact_path": "spec.md",
        "content_hash": "sha256:abc",
    }
    again = mock.post("/api/dossier/push-content/", json=push, headers=TOKEN)
    assert (again.status_code, again.json()["status"]) == (200, "already_exists")


def test_events_are_deduplicated_per_team(mock: TestClient) -> None:
    carol = {"Authorization": "Bearer tok-carol"}
    in_acme = {**origin_event(), "team_slug": "acme"}
    in_globex = {**origin_event(), "team_slug": "team_globex"}
    assert (
        mock.post(EVENTS, json={"events": [in_acme]}, headers=TOKEN).json()["results"][0]["status"]
        == "accepted"
    )
    # The same id in another team is that team's own event, not a duplicate of acme's.
    answer = mock.post(EVENTS, json={"events": [in_globex]}, headers=carol).json()
    assert answer["results"][0]["status"] == "accepted"
    # Without team_slug the event belongs to the sender's private teamspace.
    private = mock.post(EVENTS, json={"events": [origin_event()]}, headers=carol).json()
    assert private["results"][0]["status"] == "accepted"
    again = mock.post(EVENTS, json={"events": [in_acme]}, headers=TOKEN).json()
    assert again["results"][0]["status"] == "duplicate"


def test_an_event_for_a_team_the_sender_is_not_in_is_rejected(mock: TestClient) -> None:
    carol = {"Authorization": "Bearer tok-carol"}
    shadow = {**origin_event(), "team_slug": "acme"}
    [result] = mock.post(EVENTS, json={"events": [shadow]}, headers=carol).json()["results"]
    assert (result["status"], result["error_category"]) == ("rejected", "authorization")
    assert "'acme' is not a team of this user" in result["error"]
    # Nothing was stored for acme: alice's event with that id is new there.
    alice = {**origin_event(), "team_slug": "acme"}
    [first] = mock.post(EVENTS, json={"events": [alice]}, headers=TOKEN).json()["results"]
    assert first["status"] == "accepted"
