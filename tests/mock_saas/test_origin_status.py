"""A mission's status written back to its origin ticket, and the ticket's status read for it.

The SaaS finds the link itself, checks the user can see the ticket with their own identity, and
writes with the tracker installation's credential: the world's write log names the writer.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from kitty_contracts import Provider
from kitty_mock_saas.tracker_fakes import TrackerWorld
from kitty_mock_saas.tracker_fakes.world.seed import INSTALLATION_TOKENS

from tests.mock_saas.conftest import ALICE, BIND, BOB, bind_body
from tests.mock_saas.test_auth_and_errors import assert_envelope

pytestmark = pytest.mark.both_backends

STATUS = "/api/v1/tracker/mission-origin/status/"
MISSION = "01JD8X4ZQK5M7N9P2R3S4T5V6W"
# provider → (bind overrides, the ticket's key)
TICKETS = {
    "jira": (
        {"provider": "jira", "project_slug": "acme-iam"}
        | {"external_issue_id": "10342", "external_issue_key": "IAM-42"},
        "IAM-42",
    ),
    "linear": ({}, "WEB-123"),
    "github": (
        {"provider": "github", "project_slug": "acme-web"}
        | {"external_issue_id": "3000000003", "external_issue_key": "acme/web#3"},
        "acme/web#3",
    ),
}


def world_of(mock: TestClient) -> TrackerWorld:
    return mock.app.state.runtime.trackers.world  # type: ignore[attr-defined, no-any-return]


def bind(mock: TestClient, provider: str) -> dict[str, Any]:
    answer = mock.post(BIND, json=bind_body(**TICKETS[provider][0]), headers=ALICE)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def sync(mock: TestClient, status: str, headers: dict[str, str] = ALICE) -> Any:
    return mock.post(STATUS, json={"mission_id": MISSION, "status": status}, headers=headers)


@pytest.mark.parametrize("provider", sorted(TICKETS))
def test_a_lane_is_written_by_the_installation_and_stored_on_the_link(
    mock: TestClient, provider: str
) -> None:
    bind(mock, provider)
    key = TICKETS[provider][1]
    world = world_of(mock)
    answer = sync(mock, "done")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["outcome"], body["requested_status_category"]) == ("updated", "done")
    assert (body["external_issue_key"], body["external_status_category"]) == (key, "done")
    ticket = world.ticket(Provider(provider), key)
    assert ticket is not None
    assert ticket.status_name == body["external_status"]
    installation = world.account_for_token(
        Provider(provider), INSTALLATION_TOKENS[Provider(provider)]
    )
    assert [w["account_id"] for w in world.status_writes(Provider(provider), key)] == [installation]
    stored = mock.get(f"/api/v1/tracker/missions/{MISSION}/origin/", headers=ALICE).json()
    assert (stored["external_status"], stored["external_status_category"]) == (
        body["external_status"],
        "done",
    )
    again = sync(mock, "done").json()
    assert again["outcome"] == "unchanged"
    assert len(world.status_writes(Provider(provider), key)) == 1  # nothing written twice
    read = mock.get(STATUS, params={"mission_id": MISSION}, headers=ALICE).json()
    assert (read["external_status_category"], read["suggested_wp_status"]) == ("done", "done")


@pytest.mark.parametrize("provider", ["jira", "linear"])
def test_in_progress_lanes_reach_trackers_that_have_them(mock: TestClient, provider: str) -> None:
    bind(mock, provider)
    sync(mock, "planned")
    answer = sync(mock, "for_review").json()
    assert (answer["outcome"], answer["external_status_category"]) == ("updated", "in_progress")
    read = mock.get(STATUS, params={"mission_id": MISSION}, headers=ALICE).json()
    assert read["suggested_wp_status"] == "in_progress"
    assert read["writable_status_categories"] == ["todo", "in_progress", "done", "canceled"]


def test_github_cannot_take_in_progress_and_says_what_it_can(mock: TestClient) -> None:
    bind(mock, "github")
    read = mock.get(STATUS, params={"mission_id": MISSION}, headers=ALICE).json()
    assert read["writable_status_categories"] == ["todo", "done", "canceled"]
    assert read["suggested_wp_status"] == "planned"
    body = assert_envelope(sync(mock, "in_review"), 422, "validation_failed")
    assert body["details"] == [
        {"field": "body.status", "issue": "GitHub can take: canceled, done, todo"}
    ]
    assert "in_progress" in str(body["message"])
    assert world_of(mock).status_writes(Provider.github) == []


def test_bob_without_a_jira_link_can_neither_write_nor_read(mock: TestClient) -> None:
    bind(mock, "jira")
    assert_envelope(sync(mock, "done", BOB), 403, "user_link_required")
    response = mock.get(STATUS, params={"mission_id": MISSION}, headers=BOB)
    assert_envelope(response, 403, "user_link_required")
    assert world_of(mock).status_writes(Provider.jira) == []


def test_refusals_before_the_tracker_is_written(mock: TestClient) -> None:
    assert_envelope(sync(mock, "done"), 404, "origin_not_found")
    missing = mock.get(STATUS, params={"mission_id": MISSION}, headers=ALICE)
    assert_envelope(missing, 404, "origin_not_found")
    bind(mock, "linear")
    assert_envelope(sync(mock, "finished"), 422, "validation_failed")
    faults = mock.app.state.runtime.trackers.provider_faults("linear")  # type: ignore[attr-defined]
    faults.fail_next(503, times=5)
    body = assert_envelope(sync(mock, "done"), 502, "provider_unavailable")
    assert body["effect_certainty"] == "no_effect"
    faults.clear()
    assert world_of(mock).status_writes(Provider.linear) == []
