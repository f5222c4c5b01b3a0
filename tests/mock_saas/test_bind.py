"""Binding a mission to its origin: one origin per mission, idempotent, optionally asynchronous."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from kitty_contracts import OriginBindResponse

from tests.mock_saas.conftest import ADMIN, ALICE, BIND, WEB_127, bind_body
from tests.mock_saas.test_auth_and_errors import assert_envelope

pytestmark = pytest.mark.both_backends


def test_first_bind_creates_the_link(mock: TestClient) -> None:
    response = mock.post(BIND, json=bind_body(), headers=ALICE)
    assert response.status_code == 200
    link = OriginBindResponse.model_validate(response.json())
    assert link.outcome.value == "created"
    assert link.resource_type.value == "linear_team"
    assert link.resource_id == "8f6b2c1e-4a5d-4e2b-9c3f-1a2b3c4d5e6f"


def test_same_origin_again_returns_the_same_link_without_duplicate(mock: TestClient) -> None:
    first = mock.post(BIND, json=bind_body(), headers=ALICE).json()
    again = mock.post(BIND, json=bind_body(external_status="Done"), headers=ALICE).json()
    assert again["origin_link_id"] == first["origin_link_id"]
    assert again["outcome"] == "existing"
    links = mock.get("/__admin/origin-links", headers=ADMIN).json()["origin_links"]
    assert len(links) == 1


def test_different_origin_for_a_bound_mission_is_409(mock: TestClient) -> None:
    mock.post(BIND, json=bind_body(), headers=ALICE)
    response = mock.post(
        BIND, json=bind_body(**WEB_127), headers={**ALICE, "Idempotency-Key": "k-409-0001"}
    )
    body = assert_envelope(response, 409, "origin_already_bound")
    assert "WEB-123" in str(body["message"])
    assert body["idempotency_key"] == "k-409-0001"


def test_many_missions_may_originate_from_one_project_fr_014(mock: TestClient) -> None:
    a = mock.post(BIND, json=bind_body(), headers=ALICE).json()
    b = mock.post(
        BIND, json=bind_body(mission_id="01JD8Y0A1B2C3D4E5F6G7H8J9K", **WEB_127), headers=ALICE
    ).json()
    assert a["origin_link_id"] != b["origin_link_id"]
    assert a["resource_id"] == b["resource_id"]


def test_idempotency_key_replays_the_stored_answer(mock: TestClient) -> None:
    headers = {**ALICE, "Idempotency-Key": "logical-operation:write:abc123"}
    first = mock.post(BIND, json=bind_body(), headers=headers)
    replay = mock.post(BIND, json=bind_body(), headers=headers)
    assert replay.json() == first.json()
    assert replay.headers["idempotency-replayed"] == "true"
    assert "idempotency-replayed" not in first.headers


def test_idempotency_key_with_a_different_body_is_422(mock: TestClient) -> None:
    headers = {**ALICE, "Idempotency-Key": "logical-operation:write:abc123"}
    mock.post(BIND, json=bind_body(), headers=headers)
    response = mock.post(BIND, json=bind_body(**WEB_127), headers=headers)
    assert_envelope(response, 422, "idempotency_key_reused")


def test_bind_needs_a_resource_mapping(mock: TestClient) -> None:
    response = mock.post(BIND, json=bind_body(project_slug="acme-unmapped"), headers=ALICE)
    body = assert_envelope(response, 404, "resource_mapping_not_found")
    assert body["user_action_required"] is True


def test_async_bind_answers_202_then_completes_on_later_polls(mock: TestClient) -> None:
    accepted = mock.post(BIND, json=bind_body(), headers={**ALICE, "Prefer": "respond-async"})
    assert accepted.status_code == 202
    operation_id = accepted.json()["operation_id"]
    assert re.fullmatch(r"op_[0-9A-HJKMNP-TV-Z]{26}", operation_id)
    url = f"/api/v1/tracker/operations/{operation_id}/"
    assert mock.get(url, headers=ALICE).json()["status"] == "running"
    done = mock.get(url, headers=ALICE).json()
    assert done["status"] == "completed"
    assert done["result"]["external_issue_key"] == "WEB-123"
    assert mock.get(url, headers=ALICE).json() == done


def test_async_bind_of_a_different_origin_fails_with_the_envelope(mock: TestClient) -> None:
    mock.post(BIND, json=bind_body(), headers=ALICE)
    accepted = mock.post(
        BIND, json=bind_body(**WEB_127), headers={**ALICE, "Prefer": "respond-async"}
    )
    url = f"/api/v1/tracker/operations/{accepted.json()['operation_id']}/"
    mock.get(url, headers=ALICE)
    failed = mock.get(url, headers=ALICE).json()
    assert failed["status"] == "failed"
    assert failed["error"]["error_code"] == "origin_already_bound"


def test_async_bind_switch_from_the_admin_api(mock: TestClient) -> None:
    assert mock.post("/__admin/faults", json={"async_bind": True}, headers=ADMIN).status_code == 201
    assert mock.post(BIND, json=bind_body(), headers=ALICE).status_code == 202
    mock.delete("/__admin/faults", headers=ADMIN)
    assert mock.post(BIND, json=bind_body(), headers=ALICE).status_code == 200


def test_operations_are_private_to_their_team(mock: TestClient) -> None:
    accepted = mock.post(BIND, json=bind_body(), headers={**ALICE, "Prefer": "respond-async"})
    url = f"/api/v1/tracker/operations/{accepted.json()['operation_id']}/"
    carol = {"Authorization": "Bearer tok-carol", "X-Team-Slug": "globex"}
    assert_envelope(mock.get(url, headers=carol), 404, "operation_not_found")
