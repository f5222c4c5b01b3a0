"""The client against the in-process mock SaaS: the whole ticket-first flow over the real routes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("kitty_mock_saas.app")

from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings
from kitty_origin import (
    ClientSettings,
    EventOutbox,
    InvalidQueryError,
    OriginAlreadyBoundError,
    RateLimitError,
    ResourceMappingNotFoundError,
    SaaSTrackerClient,
    StaticTokenProvider,
    UserLinkRequiredError,
    bind_origin,
    flush_events,
    read_meta,
    search_origin_candidates,
    start_mission_from_ticket,
)
from kitty_origin.origin import OUTBOX_RELATIVE_PATH
from starlette.testclient import TestClient

from tests.client.fakes import JIRA_CONFIG, LINEAR_CONFIG, FakeClock, write_config


@pytest.fixture(scope="module")
def mock() -> Iterator[TestClient]:
    with TestClient(create_app(MockSettings(state_path=":memory:"))) as client:
        yield client


def saas_client(
    mock: TestClient, token: str = "tok-alice", team: str = "acme", **overrides: Any
) -> SaaSTrackerClient:
    clock = FakeClock()
    settings = ClientSettings.from_env(
        env={},
        base_url=str(mock.base_url),
        team=team,
        token_provider=StaticTokenProvider(token),
        **overrides,
    )
    return SaaSTrackerClient(
        settings, http_client=mock, monotonic=clock.monotonic, sleep=clock.sleep, now=clock.now
    )


@pytest.fixture
def linear_repo(tmp_path: Path) -> Path:
    write_config(tmp_path, LINEAR_CONFIG)
    return tmp_path


def test_free_text_search_against_the_mock(mock: TestClient, linear_repo: Path) -> None:
    found = search_origin_candidates(linear_repo, query_text="Clerk auth", client=saas_client(mock))
    keys = [c.external_issue_key for c in found.candidates]
    assert keys[:2] == ["WEB-123", "WEB-127"]
    assert found.resource_type.value == "linear_team"
    assert found.resource_id == "8f6b2c1e-4a5d-4e2b-9c3f-1a2b3c4d5e6f"


def test_exact_key_search_against_the_mock(mock: TestClient, tmp_path: Path) -> None:
    write_config(tmp_path, JIRA_CONFIG)
    found = search_origin_candidates(tmp_path, query_key="IAM-42", client=saas_client(mock))
    assert [(c.external_issue_key, c.match_type.value) for c in found.candidates] == [
        ("IAM-42", "exact")
    ]
    assert found.query_used == "IAM-42"


def test_user_without_jira_link_is_sent_to_the_dashboard(mock: TestClient, tmp_path: Path) -> None:
    write_config(tmp_path, JIRA_CONFIG)
    with pytest.raises(UserLinkRequiredError) as caught:
        search_origin_candidates(tmp_path, query_text="keys", client=saas_client(mock, "tok-bob"))
    assert "Spec Kitty dashboard" in caught.value.message


def test_unmapped_project_and_invalid_query(mock: TestClient, tmp_path: Path) -> None:
    write_config(tmp_path, "tracker: {provider: linear, project_slug: acme-unmapped}\n")
    with pytest.raises(ResourceMappingNotFoundError):
        search_origin_candidates(tmp_path, query_text="auth", client=saas_client(mock))
    write_config(tmp_path, LINEAR_CONFIG)
    with pytest.raises(InvalidQueryError):
        search_origin_candidates(tmp_path, query_key="WEB-abc", client=saas_client(mock))


def test_forced_rate_limit_is_retried_then_reported(mock: TestClient) -> None:
    client = saas_client(mock)
    with pytest.raises(RateLimitError):
        client.search_issues("linear", "acme-web", query_text="Clerk", prefer="code=429")


def test_ticket_first_flow_end_to_end(mock: TestClient, linear_repo: Path) -> None:
    client = saas_client(mock)
    found = search_origin_candidates(linear_repo, query_text="Clerk auth", client=client)
    chosen = found.candidates[0]
    started = start_mission_from_ticket(
        linear_repo, chosen, found.provider, found.resource_type, found.resource_id, client=client
    )
    meta = read_meta(started.feature_dir)
    assert meta.origin_ticket == started.origin_ticket.model
    assert started.event_emitted is True

    again = bind_origin(
        started.feature_dir, chosen, "linear", found.resource_type, found.resource_id,
        client=client,
    )  # fmt: skip
    assert again.origin_link.origin_link_id == started.origin_link_id
    assert again.origin_link.outcome.value == "existing"

    other = found.candidates[1]
    with pytest.raises(OriginAlreadyBoundError):
        bind_origin(started.feature_dir, other, "linear", "linear_team", "x", client=client)

    assert started.event_delivered is True  # right after the bind
    assert (again.event_emitted, again.event_id) == (False, None)  # the origin was bound already
    flushed = flush_events(linear_repo, client=client)
    assert (flushed.pending, flushed.delivered + flushed.duplicates) == (0, 0)
    with EventOutbox(linear_repo / OUTBOX_RELATIVE_PATH) as outbox:
        assert outbox.counts()["delivered"] == 1
    stored = json.loads((started.feature_dir / "meta.json").read_text(encoding="utf-8"))
    assert stored["origin_ticket"]["external_issue_key"] == chosen.external_issue_key


def test_async_bind_is_polled_to_completion(mock: TestClient, tmp_path: Path) -> None:
    write_config(tmp_path, JIRA_CONFIG)
    client = saas_client(mock)
    found = search_origin_candidates(tmp_path, query_key="IAM-42", client=client)
    link = client.bind_mission_origin(
        "jira",
        "acme-iam",
        feature_slug="062-iam-42-rotate-signing-keys-for-sso",
        external_issue_id=found.candidates[0].external_issue_id,
        external_issue_key="IAM-42",
        external_issue_url=found.candidates[0].url,
        title=found.candidates[0].title,
        mission_id="01JD8Y0A1B2C3D4E5F6G7H8J9K",
        prefer="respond-async",
    )
    assert link.external_issue_key == "IAM-42"
