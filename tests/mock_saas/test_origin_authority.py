"""The SaaS decides what a mission originates from: it resolves the ticket itself, with the acting
user's linked identity, inside the mapped container, and stores only what the tracker says."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.mock_saas.conftest import ADMIN, ALICE, BIND, BOB, SEARCH, bind_body
from tests.mock_saas.test_auth_and_errors import assert_envelope

pytestmark = pytest.mark.both_backends

CAROL = {"Authorization": "Bearer tok-carol", "X-Team-Slug": "globex"}
IAM_42 = {
    "provider": "jira",
    "project_slug": "acme-iam",
    "external_issue_id": "10342",
    "external_issue_key": "IAM-42",
    "external_issue_url": "https://acme.atlassian.net/browse/IAM-42",
    "external_title": "Rotate signing keys for SSO",
    "external_status": "In Review",
}
GITHUB = {"provider": "github", "project_slug": "acme-web"}


def links(mock: TestClient) -> list[dict[str, Any]]:
    return list(mock.get("/__admin/origin-links", headers=ADMIN).json()["origin_links"])


def test_bob_without_a_jira_link_cannot_bind_a_jira_ticket(mock: TestClient) -> None:
    response = mock.post(BIND, json=bind_body(**IAM_42), headers=BOB)
    body = assert_envelope(response, 403, "user_link_required")
    assert body["user_action_required"] is True
    assert body["effect_certainty"] == "no_effect"
    assert links(mock) == []


def test_a_fabricated_ticket_is_not_found_and_nothing_is_stored(mock: TestClient) -> None:
    made_up = bind_body(
        external_issue_id="does-not-exist",
        external_issue_url="https://evil.example/x",
        external_title="Made up",
    )
    body = assert_envelope(mock.post(BIND, json=made_up, headers=ALICE), 404, "ticket_not_found")
    assert body["effect_certainty"] == "no_effect"
    assert body["details"] == [
        {"field": "body.external_issue_id", "issue": "not found in the mapped container"}
    ]
    assert links(mock) == []


def test_the_link_carries_the_trackers_canonical_values_not_the_claim(mock: TestClient) -> None:
    claim = bind_body(
        external_issue_key="WEB-999",
        external_issue_url="https://evil.example/x",
        external_title="Something the client made up",
        external_status="Done",
    )
    answer = mock.post(BIND, json=claim, headers=ALICE).json()
    assert answer["external_issue_key"] == "WEB-123"
    assert answer["external_issue_url"] == "https://linear.app/acme/issue/WEB-123/add-clerk-auth"
    assert answer["external_title"] == "Add Clerk auth"
    assert (answer["external_status"], answer["external_status_category"]) == (
        "In Progress",
        "in_progress",
    )
    [stored] = links(mock)
    assert stored["external_issue_url"] == answer["external_issue_url"]
    assert stored["external_title"] == "Add Clerk auth"


def test_the_spec_kitty_3_2_7_bind_body_still_binds(mock: TestClient) -> None:
    # 3.2.7 sends every display field, `external_status` possibly empty, and a slug of its own.
    body = bind_body(external_status="", mission_slug="web-123-01JD8X4Z")
    response = mock.post(BIND, json=body, headers=ALICE)
    assert response.status_code == 200
    assert response.json()["mission_slug"] == "web-123-01JD8X4Z"


@pytest.mark.parametrize(
    ("overrides", "status", "code"),
    [
        # Linear issue API-7 exists, but in team API, not WEB (mapped to acme-web).
        (
            {
                "external_issue_id": "1a85fd34-646c-594c-b363-533e397abe54",
                "external_issue_key": "API-7",
            },
            422,
            "ticket_out_of_scope",
        ),
        # A Jira issue id sent as a Linear ticket: Linear has no such issue.
        ({"external_issue_id": "10342", "external_issue_key": "IAM-42"}, 404, "ticket_not_found"),
        # A Linear identifier where the stable id belongs: ids are not keys.
        ({"external_issue_id": "WEB-123"}, 404, "ticket_not_found"),
        # WEB-130 is restricted to carol.
        (
            {
                "external_issue_id": "73fe5e5b-2aae-575f-9637-e406b3ea8998",
                "external_issue_key": "WEB-130",
            },
            404,
            "ticket_not_found",
        ),
        # A Jira ticket in project OPS (globex's), bound in acme-iam.
        (
            {**IAM_42, "external_issue_id": "10514", "external_issue_key": "OPS-214"},
            422,
            "ticket_out_of_scope",
        ),
        # IAM-44 is restricted to carol's Jira account.
        (
            {**IAM_42, "external_issue_id": "10344", "external_issue_key": "IAM-44"},
            404,
            "ticket_not_found",
        ),
        # GitHub: #9 was deleted, #7 is a pull request, #8 moved to acme/platform.
        (
            {**GITHUB, "external_issue_id": "3000000009", "external_issue_key": "acme/web#9"},
            404,
            "ticket_not_found",
        ),
        (
            {**GITHUB, "external_issue_id": "3000000007", "external_issue_key": "acme/web#7"},
            404,
            "ticket_not_found",
        ),
        (
            {**GITHUB, "external_issue_id": "3000000008", "external_issue_key": "acme/web#8"},
            422,
            "ticket_out_of_scope",
        ),
        # The right number but another issue's id.
        (
            {**GITHUB, "external_issue_id": "3000000005", "external_issue_key": "acme/web#3"},
            404,
            "ticket_not_found",
        ),
    ],
)
def test_tickets_the_mapped_container_does_not_hold_are_refused(
    mock: TestClient, overrides: dict[str, str], status: int, code: str
) -> None:
    response = mock.post(BIND, json=bind_body(**overrides), headers=ALICE)
    assert_envelope(response, status, code)
    assert links(mock) == []


def test_a_jira_ticket_in_a_project_without_a_jira_mapping_is_refused(mock: TestClient) -> None:
    body = bind_body(**{**IAM_42, "project_slug": "acme-web"})
    assert_envelope(mock.post(BIND, json=body, headers=ALICE), 404, "resource_mapping_not_found")
    assert links(mock) == []


def test_a_github_issue_binds_where_the_team_allows_github(mock: TestClient) -> None:
    body = bind_body(**GITHUB, external_issue_id="3000000003", external_issue_key="#3")
    answer = mock.post(BIND, json=body, headers=ALICE).json()
    assert answer["external_issue_key"] == "acme/web#3"
    assert answer["resource_type"] == "github_repo"


def test_github_is_no_origin_provider_where_the_team_does_not_allow_it(mock: TestClient) -> None:
    search = {"provider": "github", "project_slug": "globex-web", "query_text": "SSO"}
    body = assert_envelope(
        mock.post(SEARCH, json=search, headers=CAROL), 422, "unsupported_provider"
    )
    assert "jira, linear" in str(body["message"])
    bind = bind_body(
        provider="github",
        project_slug="globex-web",
        external_issue_id="3000000003",
        external_issue_key="acme/web#3",
    )
    assert_envelope(mock.post(BIND, json=bind, headers=CAROL), 422, "unsupported_provider")
    assert links(mock) == []


def test_a_rate_limited_tracker_is_a_429_without_effect(mock: TestClient) -> None:
    faults = mock.app.state.runtime.trackers.provider_faults("linear")  # type: ignore[attr-defined]
    faults.rate_limit(retry_after=30)
    response = mock.post(BIND, json=bind_body(), headers=ALICE)
    body = assert_envelope(response, 429, "rate_limited")
    assert (body["source"], body["effect_certainty"]) == ("provider", "no_effect")
    assert links(mock) == []
    faults.clear()
    assert mock.post(BIND, json=bind_body(), headers=ALICE).json()["outcome"] == "created"


def test_a_failing_tracker_is_a_502_without_effect(mock: TestClient) -> None:
    faults = mock.app.state.runtime.trackers.provider_faults("linear")  # type: ignore[attr-defined]
    faults.fail_next(503, times=5)
    body = assert_envelope(
        mock.post(BIND, json=bind_body(), headers=ALICE), 502, "provider_unavailable"
    )
    assert body["effect_certainty"] == "no_effect"
    assert links(mock) == []


def test_a_rebind_of_the_bound_origin_does_not_ask_the_tracker(mock: TestClient) -> None:
    first = mock.post(BIND, json=bind_body(), headers=ALICE).json()
    faults = mock.app.state.runtime.trackers.provider_faults("linear")  # type: ignore[attr-defined]
    faults.fail_next(503, times=5)
    again = mock.post(BIND, json=bind_body(), headers=ALICE).json()
    assert (again["outcome"], again["origin_link_id"]) == ("existing", first["origin_link_id"])


def test_an_async_bind_resolves_the_ticket_too(mock: TestClient) -> None:
    made_up = bind_body(external_issue_id="does-not-exist")
    accepted = mock.post(BIND, json=made_up, headers={**ALICE, "Prefer": "respond-async"})
    assert accepted.status_code == 202
    url = f"/api/v1/tracker/operations/{accepted.json()['operation_id']}/"
    mock.get(url, headers=ALICE)
    failed = mock.get(url, headers=ALICE).json()
    assert failed["status"] == "failed"
    assert failed["error"]["code"] == failed["error"]["error_code"] == "ticket_not_found"
    assert links(mock) == []


def test_an_async_bind_of_bob_without_a_link_is_refused_before_the_202(mock: TestClient) -> None:
    response = mock.post(BIND, json=bind_body(**IAM_42), headers={**BOB, "Prefer": "respond-async"})
    assert_envelope(response, 403, "user_link_required")


def test_an_async_bind_stores_the_canonical_values(mock: TestClient) -> None:
    claim = bind_body(external_title="Claimed title")
    accepted = mock.post(BIND, json=claim, headers={**ALICE, "Prefer": "respond-async"})
    url = f"/api/v1/tracker/operations/{accepted.json()['operation_id']}/"
    mock.get(url, headers=ALICE)
    done = mock.get(url, headers=ALICE).json()
    assert done["status"] == "completed"
    assert done["result"]["external_title"] == "Add Clerk auth"
