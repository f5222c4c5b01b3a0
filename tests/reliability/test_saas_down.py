"""The SaaS is down while a mission starts from a ticket: a typed error, nothing local, one retry.

The mock runs as a real process on a state file; it is either stopped (connection refused) or
answers an injected outage (503). The client's own retries are spent without waiting.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from kitty_contracts import OriginCandidate
from kitty_origin import (
    APIConnectionError,
    ClientSettings,
    SaaSTrackerClient,
    SaaSUnavailableError,
    StaticTokenProvider,
    read_meta,
    search_origin_candidates,
    start_mission_from_ticket,
)
from kitty_origin.origin import OUTBOX_RELATIVE_PATH

from tests.reliability.processes import MockServer, write_linear_repo

pytestmark = pytest.mark.slow
RESOURCE = ("linear_team", "8f6b2c1e-4a5d-4e2b-9c3f-1a2b3c4d5e6f")


def saas(url: str) -> SaaSTrackerClient:
    settings = ClientSettings.from_env(
        env={}, base_url=url, team="acme", token_provider=StaticTokenProvider("tok-alice")
    )
    return SaaSTrackerClient(settings, sleep=lambda _: None)


@pytest.fixture
def mock(tmp_path: Path) -> Iterator[MockServer]:
    with MockServer(tmp_path / "saas.db") as server:
        yield server


def candidate(url: str, repo: Path) -> OriginCandidate:
    with saas(url) as client:
        return search_origin_candidates(repo, query_key="WEB-123", client=client).candidates[0]


def assert_nothing_local(repo: Path) -> None:
    specs = repo / "kitty-specs"
    assert not specs.exists() or list(specs.iterdir()) == []
    assert not (repo / OUTBOX_RELATIVE_PATH).exists()


def retry_succeeds_once(mock: MockServer, repo: Path, ticket: OriginCandidate) -> None:
    with saas(mock.url) as client:
        started = start_mission_from_ticket(repo, ticket, "linear", *RESOURCE, client=client)
    meta = read_meta(started.feature_dir)
    links = [link for link in mock.origin_links() if link["mission_id"] == meta.mission_id]
    assert [link["origin_link_id"] for link in links] == [started.origin_link_id]
    assert len(mock.origin_links()) == 1
    assert meta.origin_ticket == started.origin_ticket.model
    assert [p.name for p in (repo / "kitty-specs").iterdir()] == [started.feature_slug]


def test_nfr_saas_stopped_during_bind_writes_nothing_then_binds_once(
    mock: MockServer, tmp_path: Path
) -> None:
    repo = write_linear_repo(tmp_path / "repo")
    ticket = candidate(mock.url, repo)
    down_url = mock.url
    mock.stop()
    with saas(down_url) as client, pytest.raises(APIConnectionError) as caught:
        start_mission_from_ticket(repo, ticket, "linear", *RESOURCE, client=client)
    assert "cannot reach the SaaS" in caught.value.message
    assert_nothing_local(repo)
    mock.start()  # same state file, new port
    assert mock.origin_links() == []
    retry_succeeds_once(mock, repo, ticket)


def test_nfr_injected_outage_during_bind_writes_nothing_then_binds_once(
    mock: MockServer, tmp_path: Path
) -> None:
    repo = write_linear_repo(tmp_path / "repo")
    ticket = candidate(mock.url, repo)
    mock.fault({"outage": {"count": 50}})
    with saas(mock.url) as client, pytest.raises(SaaSUnavailableError) as caught:
        start_mission_from_ticket(repo, ticket, "linear", *RESOURCE, client=client)
    assert (caught.value.status_code, caught.value.error_code) == (503, "service_unavailable")
    assert_nothing_local(repo)
    mock.clear_faults()
    assert mock.origin_links() == []
    retry_succeeds_once(mock, repo, ticket)
