"""A mission's status and its origin ticket, through the client against the real mock: for Jira,
Linear and GitHub the SaaS writes with the tracker installation, never with the user's token, and
refuses what a tracker cannot represent with a typed error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kitty_contracts import Provider
from kitty_mock_saas.tracker_fakes import TrackerWorld
from kitty_mock_saas.tracker_fakes.world.seed import INSTALLATION_TOKENS
from kitty_origin import (
    CapabilityNotSupportedError,
    InvalidRequestError,
    MissionFromTicketResult,
    SaaSTrackerClient,
    StaticTokenProvider,
    StatusNotSupportedError,
    UnprocessableEntityError,
    UserLinkRequiredError,
    get_mission_origin,
    read_origin_status,
    search_origin_candidates,
    start_mission_from_ticket,
    sync_mission_status_to_origin,
)

from tests.client.fakes import JIRA_CONFIG, LINEAR_CONFIG, FakeSaaS, make_client, write_config

STATUS = "/api/v1/tracker/mission-origin/status/"
# provider → (.kittify/config.yaml, the key to search, resource_type, resource_id)
ORIGINS = {
    "jira": (JIRA_CONFIG, "IAM-42", "jira_project", "10042"),
    "linear": (LINEAR_CONFIG, "WEB-123", "linear_team", "8f6b2c1e-4a5d-4e2b-9c3f-1a2b3c4d5e6f"),
    "github": (
        "tracker: {provider: github, project_slug: acme-web}\n",
        "#3",
        "github_repo",
        "acme/web",
    ),
}


@pytest.fixture
def saas() -> FakeSaaS:
    return FakeSaaS()


@pytest.fixture
def client(saas: FakeSaaS) -> SaaSTrackerClient:
    return make_client(saas, allow_github=True)


def world_of(saas: FakeSaaS) -> TrackerWorld:
    return saas.mock.app.state.runtime.trackers.world  # type: ignore[attr-defined, no-any-return]


def start(repo: Path, provider: str, client: SaaSTrackerClient) -> MissionFromTicketResult:
    config, key, resource_type, resource_id = ORIGINS[provider]
    write_config(repo, config)
    [ticket] = search_origin_candidates(repo, query_key=key, client=client).candidates
    return start_mission_from_ticket(
        repo, ticket, provider, resource_type, resource_id, client=client
    )


@pytest.mark.parametrize("provider", sorted(ORIGINS))
def test_a_mission_status_reaches_its_ticket_through_the_installation(
    tmp_path: Path, saas: FakeSaaS, client: SaaSTrackerClient, provider: str
) -> None:
    started = start(tmp_path, provider, client)
    key = started.origin_ticket.external_issue_key
    meta_before = (started.feature_dir / "meta.json").read_bytes()
    synced = sync_mission_status_to_origin(started.feature_dir, "done", client=client)
    assert (synced.outcome.value, synced.external_status_category.value) == ("updated", "done")
    assert synced.mission_id == started.mission_id
    world = world_of(saas)
    installation = world.account_for_token(
        Provider(provider), INSTALLATION_TOKENS[Provider(provider)]
    )
    assert [w["account_id"] for w in world.status_writes(Provider(provider), key)] == [installation]
    # The client asked for a mission's status; it never named a ticket or a credential.
    [request] = [r for r in saas.requests if r.url.path == STATUS]
    assert json.loads(request.content) == {"mission_id": started.mission_id, "status": "done"}
    link = get_mission_origin(started.feature_dir, client=client)
    assert link is not None
    assert link.external_status_category.value == "done"
    read = read_origin_status(started.feature_dir, client=client)
    assert (read.external_status, read.suggested_wp_status.value) == (
        synced.external_status,
        "done",
    )
    again = sync_mission_status_to_origin(started.feature_dir, "done", client=client)
    assert again.outcome.value == "unchanged"
    assert (started.feature_dir / "meta.json").read_bytes() == meta_before  # meta keeps no status


def test_github_cannot_take_in_progress_and_the_error_is_typed(
    tmp_path: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    started = start(tmp_path, "github", client)
    with pytest.raises(StatusNotSupportedError) as caught:
        sync_mission_status_to_origin(started.feature_dir, "in_progress", client=client)
    error = caught.value
    assert isinstance(error, UnprocessableEntityError)
    assert isinstance(error, CapabilityNotSupportedError)
    assert error.allowed == "GitHub can take: canceled, done, todo"
    read = read_origin_status(started.feature_dir, client=client)
    assert [c.value for c in read.writable_status_categories] == ["todo", "done", "canceled"]
    assert world_of(saas).status_writes(Provider.github) == []


def test_lanes_reach_jira_and_linear_as_in_progress(
    tmp_path: Path, client: SaaSTrackerClient
) -> None:
    for provider in ("jira", "linear"):
        started = start(tmp_path / provider, provider, client)
        sync_mission_status_to_origin(started.feature_dir, "planned", client=client)
        synced = sync_mission_status_to_origin(started.feature_dir, "for_review", client=client)
        assert synced.external_status_category.value == "in_progress"
        assert synced.requested_status_category.value == "in_progress"


def test_bob_without_a_jira_link_gets_the_typed_refusal(
    tmp_path: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    started = start(tmp_path, "jira", client)
    bob = make_client(saas, token_provider=StaticTokenProvider("tok-bob"))
    with pytest.raises(UserLinkRequiredError):
        sync_mission_status_to_origin(started.feature_dir, "done", client=bob)
    with pytest.raises(UserLinkRequiredError):
        read_origin_status(started.feature_dir, client=bob)
    assert world_of(saas).status_writes(Provider.jira) == []


def test_an_unknown_status_is_refused_before_anything_is_sent(
    saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    with pytest.raises(InvalidRequestError):
        client.sync_mission_origin_status("01JD8X4ZQK5M7N9P2R3S4T5V6W", "finished")
    with pytest.raises(InvalidRequestError):
        client.get_mission_origin_status("not-a-ulid")
    assert saas.requests == []
