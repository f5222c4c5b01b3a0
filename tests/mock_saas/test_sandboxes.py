"""Sandboxes: one mock, isolated states named by `X-Kitty-Sandbox`, expiring when idle."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient
from kitty_mock_saas.admin_client import MockAdmin
from kitty_mock_saas.app import create_app
from kitty_mock_saas.process import MockProcess, running_mock
from kitty_mock_saas.pytest_plugin import SandboxTransport
from kitty_mock_saas.settings import MockSettings
from kitty_origin import (
    ClientSettings,
    SaaSTrackerClient,
    StaticTokenProvider,
    flush_events,
    search_origin_candidates,
    start_mission_from_ticket,
)

from tests.client.fakes import LINEAR_CONFIG, write_config
from tests.mock_saas.conftest import ADMIN, ALICE, BIND, bind_body
from tests.mock_saas.test_auth_and_errors import assert_envelope

pytestmark = pytest.mark.both_backends


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def live_mock() -> Iterator[MockProcess]:
    with running_mock("--state", ":memory:") as mock:
        yield mock


def ticket_first_flow(url: str, sandbox: str, repo: Path, ticket: str) -> None:
    """Search, start a mission from the ticket (bind + event), deliver the events."""
    write_config(repo, LINEAR_CONFIG)
    settings = ClientSettings.from_env(
        env={}, base_url=url, team="acme", token_provider=StaticTokenProvider("tok-alice")
    )
    transport = SandboxTransport(httpx.HTTPTransport(), sandbox)
    with SaaSTrackerClient(settings, transport=transport, sleep=lambda _: None) as client:
        found = search_origin_candidates(repo, query_text="Clerk", client=client)
        chosen = next(c for c in found.candidates if c.external_issue_key == ticket)
        start_mission_from_ticket(
            repo, chosen, found.provider, found.resource_type, found.resource_id, client=client
        )
        assert flush_events(repo, client=client).pending == 0


def test_two_sandboxes_run_the_ticket_first_flow_concurrently_unseen(
    live_mock: MockProcess, tmp_path: Path
) -> None:
    http = httpx.Client(base_url=live_mock.url)
    red, blue = MockAdmin(http, sandbox="red"), MockAdmin(http, sandbox="blue")
    # A fault in red only: its first search is rate limited (the client retries it).
    red.faults.rate_limit(count=1, retry_after_seconds=0, operation="searchIssues")
    failures: list[BaseException] = []

    def run(sandbox: str, ticket: str) -> None:
        try:
            ticket_first_flow(live_mock.url, sandbox, tmp_path / sandbox, ticket)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    threads = [
        threading.Thread(target=run, args=("red", "WEB-123")),
        threading.Thread(target=run, args=("blue", "WEB-127")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures

    assert [link["external_issue_key"] for link in red.origin_links()] == ["WEB-123"]
    assert [link["external_issue_key"] for link in blue.origin_links()] == ["WEB-127"]
    red_events, blue_events = red.events()["events"], blue.events()["events"]
    assert len(red_events) == len(blue_events) == 1
    assert red_events[0]["event"]["event_id"] != blue_events[0]["event"]["event_id"]
    assert red.journal.count(operation="searchIssues", status=429) == 1
    assert blue.journal.count(status=429) == 0
    assert red.journal.count(operation="bindMissionOrigin") == 1
    assert blue.journal.count(body={"external_issue_key": "WEB-123"}) == 0
    # The default state saw none of it.
    default = MockAdmin(http)
    assert default.origin_links() == []
    assert default.journal.count() == 0


def test_faults_of_a_sandbox_stay_in_it(kitty_saas_server_app: TestClient) -> None:
    mock = kitty_saas_server_app
    mock.post("/__admin/faults", json={"outage": {"count": 5}},
              headers={**ADMIN, "X-Kitty-Sandbox": "down"})  # fmt: skip
    assert mock.get("/api/v1/me", headers={**ALICE, "X-Kitty-Sandbox": "down"}).status_code == 503
    assert mock.get("/api/v1/me", headers={**ALICE, "X-Kitty-Sandbox": "up"}).status_code == 200
    assert mock.get("/api/v1/me", headers=ALICE).status_code == 200
    assert mock.get("/__admin/faults", headers=ADMIN).json()["faults"] == []


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def kitty_saas_server_app(clock: FakeClock, state_settings: MockSettings) -> Iterator[TestClient]:
    settings = replace(state_settings, sandbox_idle_ttl_seconds=60, max_sandboxes=3)
    with TestClient(create_app(settings, wall_clock=clock), client=("127.0.0.1", 5000)) as client:
        yield client


def test_an_idle_sandbox_expires_and_comes_back_fresh(
    kitty_saas_server_app: TestClient, clock: FakeClock
) -> None:
    mock = kitty_saas_server_app
    in_ci = {**ALICE, "X-Kitty-Sandbox": "ci-1"}
    assert mock.post(BIND, json=bind_body(), headers=in_ci).status_code == 200
    clock.now += 59
    links = mock.get("/__admin/origin-links", headers={**ADMIN, "X-Kitty-Sandbox": "ci-1"})
    assert len(links.json()["origin_links"]) == 1  # used again: its idle time starts over
    clock.now += 61
    assert mock.get("/__admin/sandboxes", headers=ADMIN).json()["sandboxes"] == []
    links = mock.get("/__admin/origin-links", headers={**ADMIN, "X-Kitty-Sandbox": "ci-1"})
    assert links.json()["origin_links"] == []


def _world_schemas(settings: MockSettings) -> set[str]:
    """The sandbox world schemas in a PostgreSQL mock's database."""
    assert settings.database_url is not None
    with psycopg.connect(settings.database_url) as conn:
        rows = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", ("kitty\\_sbx\\_%_world",)
        )
        return {str(row[0]) for row in rows}


def test_a_sandboxs_ticket_edits_go_with_it_when_it_expires_or_is_deleted(
    kitty_saas_server_app: TestClient, clock: FakeClock, state_settings: MockSettings
) -> None:
    """Its world overlay is made by the first edit and dropped with the sandbox: named again, it
    sees the mock's world (on PostgreSQL no overlay schema is left behind)."""
    mock = kitty_saas_server_app
    seeded = MockAdmin(mock).tickets.get("linear", "WEB-123")["title"]
    for name in ("ci-expired", "ci-deleted"):
        MockAdmin(mock, sandbox=name).tickets.update("linear", "WEB-123", title=f"In {name}")
        assert MockAdmin(mock, sandbox=name).tickets.get("linear", "WEB-123")["title"] == (
            f"In {name}"
        )
    assert MockAdmin(mock).tickets.get("linear", "WEB-123")["title"] == seeded
    if state_settings.database_url is not None:
        assert len(_world_schemas(state_settings)) == 2
    assert mock.delete("/__admin/sandboxes/ci-deleted", headers=ADMIN).status_code == 200
    clock.now += 30
    MockAdmin(mock, sandbox="ci-expired").tickets.get("linear", "WEB-123")
    clock.now += 61  # ci-expired idle past the TTL
    assert mock.get("/__admin/sandboxes", headers=ADMIN).json()["sandboxes"] == []
    if state_settings.database_url is not None:
        assert _world_schemas(state_settings) == set()
    for name in ("ci-expired", "ci-deleted"):
        assert MockAdmin(mock, sandbox=name).tickets.get("linear", "WEB-123")["title"] == seeded


@pytest.mark.postgres
def test_a_replica_lets_go_of_sandboxes_another_replica_ended(started_database: str) -> None:
    """Two replicas in process on one database: sandboxes served (and edited) through b, then
    deleted or expired through a, leave b holding no connections for them after b's next request
    (PostgreSQL's `max_connections` is shared by every replica)."""

    def connections() -> int:
        with psycopg.connect(started_database) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            ).fetchone()
            assert row is not None
            return int(row[0])

    settings = MockSettings(database_url=started_database)
    with (
        TestClient(create_app(settings), client=("127.0.0.1", 5000)) as a,
        TestClient(create_app(settings), client=("127.0.0.1", 5000)) as b,
    ):
        MockAdmin(b).tickets.get("linear", "WEB-123")
        held = connections()
        for n in range(8):
            name = f"job-{n}"
            MockAdmin(b, sandbox=name).tickets.update("linear", "WEB-123", title=f"In {name}")
            assert a.delete(f"/__admin/sandboxes/{name}", headers=ADMIN).status_code == 200
        MockAdmin(b).tickets.get("linear", "WEB-123")
        MockAdmin(b, sandbox="still-here").tickets.get("linear", "WEB-123")
        # The one live sandbox's state (two connections per store) and nothing of the eight.
        assert connections() <= held + 2 + 2, "b still holds the ended sandboxes' connections"


def test_a_full_mock_refuses_a_new_sandbox_with_503(kitty_saas_server_app: TestClient) -> None:
    mock = kitty_saas_server_app
    for n in range(3):
        created = mock.post("/__admin/sandboxes", json={"name": f"job-{n}"}, headers=ADMIN)
        assert created.status_code == 201
    refused = mock.get("/api/v1/me", headers={**ALICE, "X-Kitty-Sandbox": "job-3"})
    assert_envelope(refused, 503, "service_unavailable")
    assert mock.delete("/__admin/sandboxes/job-0", headers=ADMIN).json() == {"deleted": "job-0"}
    assert mock.get("/api/v1/me", headers={**ALICE, "X-Kitty-Sandbox": "job-3"}).status_code == 200


def test_a_sandbox_name_that_is_not_one_is_a_400(kitty_saas_server_app: TestClient) -> None:
    answer = kitty_saas_server_app.get("/api/v1/me", headers={**ALICE, "X-Kitty-Sandbox": "../x"})
    assert_envelope(answer, 400, "malformed_request")


def test_create_sandbox_with_a_random_name_and_delete_it(kitty_saas_server_app: TestClient) -> None:
    mock = kitty_saas_server_app
    created = mock.post("/__admin/sandboxes", json={}, headers=ADMIN)
    assert created.status_code == 201
    name = created.json()["name"]
    assert [
        s["name"] for s in mock.get("/__admin/sandboxes", headers=ADMIN).json()["sandboxes"]
    ] == [name]
    assert mock.delete(f"/__admin/sandboxes/{name}", headers=ADMIN).status_code == 200
    assert_envelope(mock.delete(f"/__admin/sandboxes/{name}", headers=ADMIN), 404, "not_found")


def test_the_dashboard_shows_the_sandbox_it_is_asked_for(kitty_saas_server_app: TestClient) -> None:
    mock = kitty_saas_server_app
    mock.post(BIND, json=bind_body(), headers={**ALICE, "X-Kitty-Sandbox": "shown"})
    assert "WEB-123" in mock.get("/dashboard/fragments/origin-links?sandbox=shown").text
    assert "WEB-123" not in mock.get("/dashboard/fragments/origin-links").text
    page = mock.get("/?sandbox=shown").text
    assert 'data-poll="/dashboard/fragments?sandbox=shown"' in page
    # The dashboard never creates a sandbox.
    assert mock.get("/?sandbox=nobody").status_code == 404


def test_worker_processes_agree_on_a_sandbox_and_its_deletion(tmp_path: Path) -> None:
    """With a state file and two workers, every connection sees the same sandbox, whichever
    worker takes it, its own tracker world once it edited a ticket, and none sees it after it
    was deleted."""
    state = str(tmp_path / "mock.db")
    with running_mock("--state", state, "--workers", "2") as mock:

        def links(sandbox: str) -> list[int]:
            # A new connection per request, so both workers answer some of them.
            return [
                len(
                    httpx.get(
                        f"{mock.url}/__admin/origin-links",
                        headers={**ADMIN, "X-Kitty-Sandbox": sandbox, "Connection": "close"},
                    ).json()["origin_links"]
                )
                for _ in range(12)
            ]

        def titles(sandbox: str) -> set[str]:
            search = {"provider": "linear", "project_slug": "acme-web", "query_key": "WEB-123"}
            headers = {**ALICE, "X-Kitty-Sandbox": sandbox, "Connection": "close"}
            return {
                httpx.post(
                    f"{mock.url}/api/v1/tracker/issue-search/", json=search, headers=headers
                ).json()["candidates"][0]["title"]
                for _ in range(12)
            }

        bound = httpx.post(
            f"{mock.url}{BIND}", json=bind_body(), headers={**ALICE, "X-Kitty-Sandbox": "w"}
        )
        assert bound.status_code == 200
        assert links("w") == [1] * 12
        assert links("other") == [0] * 12
        assert titles("w") == {"Add Clerk auth"}  # both workers opened w before its edit
        MockAdmin(httpx.Client(base_url=mock.url), sandbox="w").tickets.update(
            "linear", "WEB-123", title="Edited in w"
        )
        assert titles("w") == {"Edited in w"}
        assert titles("other") == {"Add Clerk auth"}
        deleted = httpx.delete(f"{mock.url}/__admin/sandboxes/w", headers=ADMIN)
        assert deleted.json() == {"deleted": "w"}
        assert links("w") == [0] * 12  # created anew, from the seed
        assert titles("w") == {"Add Clerk auth"}
