"""Fault injection: Prefer headers per request, and stateful faults through the admin API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.mock_saas.conftest import ADMIN, ALICE, BIND, WEB_127, bind_body
from tests.mock_saas.test_auth_and_errors import assert_envelope

pytestmark = pytest.mark.both_backends


def test_prefer_code_forces_a_documented_status(mock: TestClient) -> None:
    response = mock.post(BIND, json=bind_body(), headers={**ALICE, "Prefer": "code=429"})
    body = assert_envelope(response, 429, "rate_limited")
    assert response.headers["retry-after"] == "1"
    assert body["retry_after_seconds"] == 1


def test_prefer_example_answers_the_named_example(mock: TestClient) -> None:
    response = mock.post(
        BIND, json=bind_body(**WEB_127), headers={**ALICE, "Prefer": "example=already_bound"}
    )
    assert_envelope(response, 409, "origin_already_bound")


def test_prefer_still_needs_authentication(mock: TestClient) -> None:
    response = mock.post(
        BIND, json=bind_body(), headers={"X-Team-Slug": "acme", "Prefer": "code=409"}
    )
    assert response.status_code == 401


def test_prefer_an_undocumented_status_is_refused(mock: TestClient) -> None:
    response = mock.post(BIND, json=bind_body(), headers={**ALICE, "Prefer": "code=418"})
    assert_envelope(response, 422, "validation_failed")


def test_admin_rate_limit_applies_to_the_next_requests_only(mock: TestClient) -> None:
    added = mock.post(
        "/__admin/faults",
        json={"rate_limit": {"count": 2, "retry_after_seconds": 3}},
        headers=ADMIN,
    )
    assert added.status_code == 201
    for _ in range(2):
        response = mock.post(BIND, json=bind_body(), headers=ALICE)
        assert response.status_code == 429
        assert response.headers["retry-after"] == "3"
        assert response.json()["retry_after_seconds"] == 3
    assert mock.post(BIND, json=bind_body(), headers=ALICE).status_code == 200


def test_outage_then_recovery(mock: TestClient) -> None:
    mock.post("/__admin/faults", json={"outage": {"count": 1}}, headers=ADMIN)
    assert_envelope(mock.post(BIND, json=bind_body(), headers=ALICE), 503, "service_unavailable")
    assert mock.post(BIND, json=bind_body(), headers=ALICE).status_code == 200
    assert (
        mock.get("/__admin/origin-links", headers=ADMIN).json()["origin_links"][0][
            "external_issue_key"
        ]
        == "WEB-123"
    )


def test_injected_5xx_and_reset(mock: TestClient) -> None:
    mock.post("/__admin/faults", json={"error": {"count": 5, "status": 502}}, headers=ADMIN)
    assert_envelope(mock.post(BIND, json=bind_body(), headers=ALICE), 502, "provider_unavailable")
    assert mock.delete("/__admin/faults", headers=ADMIN).json() == {"cleared": 1}
    assert mock.post(BIND, json=bind_body(), headers=ALICE).status_code == 200


def test_admin_api_needs_its_token(mock: TestClient) -> None:
    assert_envelope(mock.get("/__admin/faults"), 401, "unauthenticated")
    assert_envelope(
        mock.get("/__admin/faults", headers={"X-Admin-Token": "nope"}), 401, "unauthenticated"
    )


def test_bad_fault_request_names_the_field(mock: TestClient) -> None:
    response = mock.post("/__admin/faults", json={"meteor": {}}, headers=ADMIN)
    assert_envelope(response, 422, "validation_failed")


def test_request_log_records_status_and_error_code(mock: TestClient) -> None:
    mock.post(BIND, json=bind_body(project_slug="acme-unmapped"), headers=ALICE)
    log = mock.get("/__admin/requests", headers=ADMIN).json()["requests"]
    assert log[0]["path"] == BIND
    assert (log[0]["status"], log[0]["error_code"]) == (404, "resource_mapping_not_found")
    assert log[0]["user_id"] == "alice@acme.example"


def test_a_prefer_header_longer_than_the_contract_allows_is_refused(mock: TestClient) -> None:
    response = mock.post(BIND, json=bind_body(), headers={**ALICE, "Prefer": "x" * 257})
    assert response.status_code == 422
    [detail] = response.json()["details"]
    assert (detail["field"], detail["issue"].endswith("is too long")) == ("header.Prefer", True)
