"""Spec 061 against the real mock, in process: scenarios 1 to 6 and every row of its error tables.

Each test builds a fresh seeded mock, so scenarios never see each other's bindings. Retries run
on a fake clock (no sleeping).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kitty_contracts.validation import validator
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings
from kitty_origin import (
    AuthenticationError,
    InvalidQueryError,
    NoTrackerBindingError,
    OriginAlreadyBoundError,
    PermissionDeniedError,
    RateLimitError,
    ResourceMappingNotFoundError,
    SaaSTrackerClient,
    UserLinkRequiredError,
    bind_mission_origin,
    flush_events,
    read_meta,
    search_origin_candidates,
    start_mission_from_ticket,
)
from kitty_origin.missions import create_mission_from_candidate
from starlette.testclient import TestClient

from tests.client.fakes import JIRA_CONFIG, LINEAR_CONFIG, write_config
from tests.integration.test_origin_flow import saas_client

# A mission created without the SaaS (the tests bind it themselves).
SPEC_DRAFT = "# A mission\n"

ADMIN = {"X-Admin-Token": "admin-secret"}


@pytest.fixture
def mock() -> Iterator[TestClient]:
    with TestClient(create_app(MockSettings())) as client:
        yield client


@pytest.fixture
def alice(mock: TestClient) -> SaaSTrackerClient:
    return saas_client(mock)


@pytest.fixture
def linear_repo(tmp_path: Path) -> Path:
    write_config(tmp_path, LINEAR_CONFIG)
    return tmp_path


def requests_seen(mock: TestClient) -> int:
    return len(mock.get("/__admin/requests", headers=ADMIN).json()["requests"])


def test_scenario_1_free_text_search_confirm_bind_emit(
    mock: TestClient, alice: SaaSTrackerClient, linear_repo: Path
) -> None:
    found = search_origin_candidates(linear_repo, query_text="Clerk auth", client=alice)
    assert [c.external_issue_key for c in found.candidates] == ["WEB-123", "WEB-127"]
    confirmed = found.candidates[0]  # the developer confirms WEB-123
    started = start_mission_from_ticket(
        linear_repo, confirmed, found.provider, found.resource_type, found.resource_id, client=alice
    )
    assert started.event_emitted is True
    assert started.event_delivered is True  # delivered right after the bind
    assert flush_events(linear_repo, client=alice).pending == 0
    stored = mock.get("/__admin/events", headers=ADMIN, params={"event_type": "MissionOriginBound"})
    assert [e["event"]["payload"]["external_issue_key"] for e in stored.json()["events"]] == [
        "WEB-123"
    ]


def test_scenario_2_key_search_returns_one_exact_candidate(
    alice: SaaSTrackerClient, tmp_path: Path
) -> None:
    write_config(tmp_path, JIRA_CONFIG)
    found = search_origin_candidates(tmp_path, query_key="IAM-42", client=alice)
    assert [(c.external_issue_key, c.match_type.value) for c in found.candidates] == [
        ("IAM-42", "exact")
    ]
    assert found.query_used == "IAM-42"


def test_scenario_3_no_match_is_an_empty_list(alice: SaaSTrackerClient, linear_repo: Path) -> None:
    found = search_origin_candidates(linear_repo, query_text="quantum teleportation", client=alice)
    assert found.candidates == []


def test_scenario_4_missing_user_link_is_a_hard_error_pointing_to_the_dashboard(
    mock: TestClient, tmp_path: Path
) -> None:
    write_config(tmp_path, JIRA_CONFIG)
    with pytest.raises(UserLinkRequiredError) as caught:
        search_origin_candidates(
            tmp_path, query_text="signing keys", client=saas_client(mock, "tok-bob")
        )
    assert caught.value.status_code == 403
    assert caught.value.user_action_required is True
    assert "dashboard" in str(caught.value)


def test_scenario_5_started_mission_is_intelligible_offline(
    alice: SaaSTrackerClient, linear_repo: Path
) -> None:
    found = search_origin_candidates(linear_repo, query_key="WEB-123", client=alice)
    started = start_mission_from_ticket(
        linear_repo, found.candidates[0], found.provider, found.resource_type, found.resource_id,
        client=alice,
    )  # fmt: skip
    meta = read_meta(started.feature_dir).model_dump(mode="json")
    assert list(validator("MissionMeta").iter_errors(meta)) == []
    assert meta["origin_ticket"] == {
        "provider": "linear",
        "resource_type": "linear_team",
        "resource_id": "8f6b2c1e-4a5d-4e2b-9c3f-1a2b3c4d5e6f",
        "external_issue_id": "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d",
        "external_issue_key": "WEB-123",
        "external_issue_url": "https://linear.app/acme/issue/WEB-123/add-clerk-auth",
        "title": "Add Clerk auth",
    }
    assert started.feature_slug.endswith("web-123-add-clerk-auth")


def test_scenario_6_no_tracker_binding_is_a_hard_error_and_sends_nothing(
    mock: TestClient, alice: SaaSTrackerClient, tmp_path: Path
) -> None:
    before = requests_seen(mock)
    with pytest.raises(
        NoTrackerBindingError, match=r"^No tracker bound\. Run spec-kitty tracker bind first\.$"
    ):
        search_origin_candidates(tmp_path, query_text="Clerk auth", client=alice)
    assert requests_seen(mock) == before


def test_search_401_unknown_token_after_one_refresh(mock: TestClient) -> None:
    with pytest.raises(AuthenticationError) as caught:
        saas_client(mock, "tok-expired").search_issues("linear", "acme-web", query_text="Clerk")
    assert caught.value.status_code == 401


def test_search_403_team_the_user_is_not_in(mock: TestClient) -> None:
    client = saas_client(mock, team="globex")
    with pytest.raises(PermissionDeniedError) as caught:
        client.search_issues("linear", "acme-web", query_text="Clerk")
    assert caught.value.status_code == 403
    assert not isinstance(caught.value, UserLinkRequiredError)


def test_search_404_no_resource_mapping(alice: SaaSTrackerClient) -> None:
    with pytest.raises(ResourceMappingNotFoundError, match="No resource mapping found"):
        alice.search_issues("linear", "acme-unmapped", query_text="auth")


def test_search_422_invalid_query_with_validation_details(alice: SaaSTrackerClient) -> None:
    with pytest.raises(InvalidQueryError) as caught:
        alice.search_issues("linear", "acme-web", query_key="WEB-abc")
    assert caught.value.status_code == 422
    assert "WEB-abc" in str(caught.value)


def test_search_429_is_retried_with_backoff(mock: TestClient, alice: SaaSTrackerClient) -> None:
    mock.post(
        "/__admin/faults",
        headers=ADMIN,
        json={"rate_limit": {"count": 1, "retry_after_seconds": 2}},
    )
    found = alice.search_issues("linear", "acme-web", query_text="Clerk auth")
    assert len(found.candidates) == 2


def test_search_429_that_persists_is_reported(mock: TestClient, alice: SaaSTrackerClient) -> None:
    mock.post(
        "/__admin/faults",
        headers=ADMIN,
        json={"rate_limit": {"count": 50, "retry_after_seconds": 2}},
    )
    with pytest.raises(RateLimitError) as caught:
        alice.search_issues("linear", "acme-web", query_text="Clerk auth")
    assert caught.value.status_code == 429


def test_bind_409_when_the_saas_holds_another_origin(
    alice: SaaSTrackerClient, linear_repo: Path
) -> None:
    """Another machine bound this mission to WEB-127 first; locally it has no origin yet."""
    found = search_origin_candidates(linear_repo, query_text="Clerk auth", client=alice)
    web_123, web_127 = found.candidates
    mission = create_mission_from_candidate(linear_repo, web_123, spec_markdown=SPEC_DRAFT)
    alice.bind_mission_origin(
        "linear", "acme-web", feature_slug=mission.meta.mission_slug, mission_id=mission.meta.mission_id,
        external_issue_id=web_127.external_issue_id, external_issue_key=web_127.external_issue_key,
        external_issue_url=web_127.url, title=web_127.title,
    )  # fmt: skip
    before = (mission.feature_dir / "meta.json").read_bytes()
    with pytest.raises(OriginAlreadyBoundError) as caught:
        bind_mission_origin(
            mission.feature_dir, web_123, "linear", found.resource_type.value, found.resource_id,
            client=alice,
        )  # fmt: skip
    assert caught.value.status_code == 409
    assert "WEB-127" in str(caught.value)
    assert (mission.feature_dir / "meta.json").read_bytes() == before


def test_bind_401_and_403_are_handled_like_search(mock: TestClient) -> None:
    kwargs: dict[str, Any] = {
        "feature_slug": "061-web-123-add-clerk-auth",
        "external_issue_id": "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d",
        "external_issue_key": "WEB-123",
        "external_issue_url": "https://linear.app/acme/issue/WEB-123/add-clerk-auth",
        "title": "Add Clerk auth",
        "mission_id": "01JD8X4ZQK5M7N9P2R3S4T5V6W",
    }
    with pytest.raises(AuthenticationError):
        saas_client(mock, "tok-expired").bind_mission_origin("linear", "acme-web", **kwargs)
    with pytest.raises(PermissionDeniedError):
        saas_client(mock, team="globex").bind_mission_origin("linear", "acme-web", **kwargs)
    links = mock.get("/__admin/origin-links", headers=ADMIN).json()["origin_links"]
    assert links == []
