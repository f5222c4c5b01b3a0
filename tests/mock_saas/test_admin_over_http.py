"""The admin API as a person uses it with curl: readiness, optional bodies, errors that list
what they would accept."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from kitty_contracts.contract_version import CONTRACT_VERSION

from tests.mock_saas.conftest import ADMIN, ALICE

pytestmark = pytest.mark.both_backends


def test_health_answers_without_a_token_with_every_version(mock: TestClient) -> None:
    answer = mock.get("/__admin/health")
    assert answer.status_code == 200, answer.text
    health = answer.json()
    assert health["status"] == "ok"
    assert health["contract_version"] == CONTRACT_VERSION
    assert (
        health["admin_contract_version"]
        == mock.get("/__admin/openapi.json").json()["info"]["version"]
    )
    assert {"mock_version", "sdk_version"} <= set(health)


def test_a_sandbox_posted_without_a_body_gets_a_random_name(mock: TestClient) -> None:
    first = mock.post("/__admin/sandboxes", headers=ADMIN)
    second = mock.post("/__admin/sandboxes", headers={**ADMIN, "Content-Type": "application/json"})
    assert first.status_code == second.status_code == 201, first.text + second.text
    assert first.json()["name"] != second.json()["name"]
    listed = {s["name"] for s in mock.get("/__admin/sandboxes", headers=ADMIN).json()["sandboxes"]}
    assert {first.json()["name"], second.json()["name"]} <= listed


def test_a_journal_query_without_a_body_matches_every_request(mock: TestClient) -> None:
    mock.get("/api/v1/me", headers=ALICE)
    mock.get("/api/v1/me", headers=ALICE)
    found = mock.post("/__admin/journal/find", headers=ADMIN)
    assert found.status_code == 200, found.text
    assert found.json()["count"] >= 2


def test_a_required_body_left_out_is_still_refused(mock: TestClient) -> None:
    answer = mock.post("/__admin/faults", headers=ADMIN)
    assert answer.status_code == 400
    assert answer.json()["error_code"] == "malformed_request"


def test_a_misspelt_fault_kind_lists_the_kinds(mock: TestClient) -> None:
    answer = mock.post("/__admin/faults", headers=ADMIN, json={"rate_limt": {"count": 1}})
    assert answer.status_code == 422
    message = answer.json()["message"]
    assert "'rate_limt' was unexpected" in message
    for kind in ("rate_limit", "outage", "latency", "connection_reset", "slow_drip"):
        assert kind in message


def test_a_status_outside_the_enum_lists_the_allowed_ones(mock: TestClient) -> None:
    answer = mock.post("/__admin/faults", headers=ADMIN, json={"error": {"status": 501}})
    assert answer.status_code == 422
    assert "[500, 502, 503, 504]" in answer.json()["message"]


def test_a_401_hints_at_the_seeded_tokens_in_a_header_not_in_the_envelope(
    mock: TestClient,
) -> None:
    saas = mock.get("/api/v1/me", headers={"Authorization": "Bearer nobody"})
    assert saas.status_code == 401
    assert "tok-alice" in saas.headers["x-kitty-mock-hint"]
    assert "tok-alice" not in saas.text  # the envelope is the real SaaS's
    admin = mock.get("/__admin/state", headers={"X-Admin-Token": "wrong"})
    assert admin.status_code == 401
    assert "admin token" in admin.headers["x-kitty-mock-hint"]


def test_a_path_without_its_slash_redirects_with_a_hint(mock: TestClient) -> None:
    answer = mock.get("/api/v1/tracker/issue-search", headers=ALICE, follow_redirects=False)
    assert answer.status_code == 307
    assert answer.headers["location"].endswith("/api/v1/tracker/issue-search/")
    assert "end with a slash" in answer.headers["x-kitty-mock-hint"]
