"""Unbind, read and list: an origin link can be looked at and removed, and the mission re-bound."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from kitty_contracts import Provider, StatusCategory

from tests.mock_saas.conftest import ALICE, BIND, BOB, WEB_127, bind_body
from tests.mock_saas.test_auth_and_errors import assert_envelope

pytestmark = pytest.mark.both_backends

UNBIND = "/api/v1/tracker/mission-origin/unbind/"
BY_TICKET = "/api/v1/tracker/mission-origin/by-ticket/"
MISSION = "01JD8X4ZQK5M7N9P2R3S4T5V6W"
OTHER_MISSION = "01JD8Y0A1B2C3D4E5F6G7H8J9K"
WEB_123_ID = "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d"
CAROL = {"Authorization": "Bearer tok-carol", "X-Team-Slug": "globex"}


def origin_url(mission_id: str = MISSION) -> str:
    return f"/api/v1/tracker/missions/{mission_id}/origin/"


def test_unbind_answers_what_it_removed_and_a_second_unbind_is_a_no_op(mock: TestClient) -> None:
    bound = mock.post(BIND, json=bind_body(), headers=ALICE).json()
    removed = mock.post(UNBIND, json={"mission_id": MISSION}, headers=ALICE)
    assert removed.status_code == 200
    assert removed.json()["outcome"] == "removed"
    assert removed.json()["removed_link"]["origin_link_id"] == bound["origin_link_id"]
    again = mock.post(UNBIND, json={"mission_id": MISSION}, headers=ALICE).json()
    assert (again["outcome"], again["removed_link"]) == ("not_bound", None)


def test_after_an_unbind_the_mission_binds_another_ticket(mock: TestClient) -> None:
    mock.post(BIND, json=bind_body(), headers=ALICE)
    assert_envelope(
        mock.post(BIND, json=bind_body(**WEB_127), headers=ALICE), 409, "origin_already_bound"
    )
    mock.post(UNBIND, json={"mission_id": MISSION}, headers=ALICE)
    rebound = mock.post(BIND, json=bind_body(**WEB_127), headers=ALICE).json()
    assert (rebound["outcome"], rebound["external_issue_key"]) == ("created", "WEB-127")


def test_unbind_replays_under_its_idempotency_key(mock: TestClient) -> None:
    mock.post(BIND, json=bind_body(), headers=ALICE)
    headers = {**ALICE, "Idempotency-Key": "unbind-key-0001"}
    first = mock.post(UNBIND, json={"mission_id": MISSION}, headers=headers)
    replay = mock.post(UNBIND, json={"mission_id": MISSION}, headers=headers)
    assert replay.json() == first.json()
    assert replay.headers["idempotency-replayed"] == "true"


def test_unbind_needs_no_tracker_link(mock: TestClient) -> None:
    mock.post(BIND, json=bind_body(), headers=ALICE)
    assert (
        mock.post(UNBIND, json={"mission_id": MISSION}, headers=BOB).json()["outcome"] == "removed"
    )


def test_another_team_can_neither_read_nor_unbind_the_link(mock: TestClient) -> None:
    mock.post(BIND, json=bind_body(), headers=ALICE)
    assert_envelope(mock.get(origin_url(), headers=CAROL), 404, "origin_not_found")
    gone = mock.post(UNBIND, json={"mission_id": MISSION}, headers=CAROL).json()
    assert gone["outcome"] == "not_bound"
    assert mock.get(origin_url(), headers=ALICE).status_code == 200


def test_read_answers_the_stored_link_or_origin_not_found(mock: TestClient) -> None:
    assert_envelope(mock.get(origin_url(), headers=ALICE), 404, "origin_not_found")
    bound = mock.post(BIND, json=bind_body(), headers=ALICE).json()
    link = mock.get(origin_url(), headers=ALICE).json()
    assert link == {k: v for k, v in bound.items() if k != "outcome"}


def test_read_refuses_a_malformed_mission_id(mock: TestClient) -> None:
    assert_envelope(mock.get(origin_url("not-a-ulid"), headers=ALICE), 422, "validation_failed")


def test_the_missions_of_a_ticket_newest_first_and_per_team(mock: TestClient) -> None:
    mock.post(BIND, json=bind_body(), headers=ALICE)
    mock.post(BIND, json=bind_body(mission_id=OTHER_MISSION), headers=ALICE)
    mock.post(
        BIND, json=bind_body(mission_id="01JD8Z0A1B2C3D4E5F6G7H8J9K", **WEB_127), headers=ALICE
    )
    params = {"provider": "linear", "external_issue_id": WEB_123_ID}
    found = mock.get(BY_TICKET, params=params, headers=ALICE).json()
    assert [link["mission_id"] for link in found["links"]] == [OTHER_MISSION, MISSION]
    assert (
        mock.get(BY_TICKET, params={**params, "limit": 1}, headers=ALICE).json()["links"][0][
            "mission_id"
        ]
        == OTHER_MISSION
    )
    assert mock.get(BY_TICKET, params=params, headers=CAROL).json()["links"] == []
    assert_envelope(
        mock.get(BY_TICKET, params={**params, "provider": "asana"}, headers=ALICE),
        422,
        "validation_failed",
    )


REFRESH = "/api/v1/tracker/mission-origin/refresh/"


def test_refresh_of_a_current_link_changes_nothing(mock: TestClient) -> None:
    bound = mock.post(BIND, json=bind_body(), headers=ALICE).json()
    answer = mock.post(REFRESH, json={"mission_id": MISSION}, headers=ALICE).json()
    assert answer["changed"] == []
    assert answer["link"] == {k: v for k, v in bound.items() if k != "outcome"}


def test_refresh_stores_what_the_tracker_says_now(mock: TestClient) -> None:
    mock.post(BIND, json=bind_body(), headers=ALICE)
    world = mock.app.state.runtime.trackers.world  # type: ignore[attr-defined]
    world.update_status(
        Provider.linear,
        "WEB-123",
        status_name="Done",
        status_category=StatusCategory.done,
        state_reason=None,
        updated_at=datetime.now(UTC),
    )
    answer = mock.post(REFRESH, json={"mission_id": MISSION}, headers=ALICE).json()
    assert answer["changed"] == ["external_status", "external_status_category"]
    stored = mock.get(origin_url(), headers=ALICE).json()
    assert (stored["external_status"], stored["external_status_category"]) == ("Done", "done")
    again = mock.post(REFRESH, json={"mission_id": MISSION}, headers=ALICE).json()
    assert again["changed"] == []


def test_refresh_refusals_leave_the_link_as_it_was(mock: TestClient) -> None:
    assert_envelope(
        mock.post(REFRESH, json={"mission_id": MISSION}, headers=ALICE), 404, "origin_not_found"
    )
    iam_42 = bind_body(
        provider="jira",
        project_slug="acme-iam",
        external_issue_id="10342",
        external_issue_key="IAM-42",
    )
    bound = mock.post(BIND, json=iam_42, headers=ALICE).json()
    assert_envelope(
        mock.post(REFRESH, json={"mission_id": MISSION}, headers=BOB), 403, "user_link_required"
    )
    faults = mock.app.state.runtime.trackers.provider_faults("jira")  # type: ignore[attr-defined]
    faults.fail_next(503, times=5)
    body = assert_envelope(
        mock.post(REFRESH, json={"mission_id": MISSION}, headers=ALICE), 502, "provider_unavailable"
    )
    assert body["effect_certainty"] == "no_effect"
    assert mock.get(origin_url(), headers=ALICE).json() == {
        k: v for k, v in bound.items() if k != "outcome"
    }
