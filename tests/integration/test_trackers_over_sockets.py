"""`serve --trackers FILE` reaches each tracker over a real socket, with the same connector code.

Three `tracker-fake` processes (Jira, Linear, GitHub) on 127.0.0.1, a mock process whose
trackers file points every tracker at one of them with `env:` credentials from the mock's
environment, and the real client against the mock over HTTP: search (text and key), bind and
refresh. The fakes' request logs show that each search and bind went over the socket with the
acting user's linked identity (the SaaS directory's link), never with the installation
credential of the file. A tracker at an unreachable `server_url` answers the contract's 502 / 504
with `effect_certainty: no_effect` within the connector's deadline.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from kitty_mock_saas.admin_client import AdminError, MockAdmin
from kitty_mock_saas.app import create_app
from kitty_mock_saas.connectors.retry import RetryPolicy
from kitty_mock_saas.process import MockProcess, running_mock, start_tracker_fake
from kitty_mock_saas.settings import MockSettings
from kitty_mock_saas.tracker_fakes.server import RECORDER_PATH, token_fingerprint
from kitty_origin import ClientSettings, SaaSTrackerClient, StaticTokenProvider

INSTALLATION = {
    "KITTY_TEST_JIRA_INSTALL": "install-jira-secret",
    "KITTY_TEST_LINEAR_INSTALL": "install-linear-secret",
    "KITTY_TEST_GITHUB_INSTALL": "install-github-secret",
}
ALICE = "tok-alice"


@dataclass(frozen=True)
class Case:
    provider: str
    project: str
    text: str
    key: str
    issue_id: str
    url: str
    user_link: str  # alice's linked identity in the fixtures' directory
    account: str  # the tracker account that link acts as
    mission_id: str


CASES = [
    Case(
        "jira",
        "acme-iam",
        "signing keys",
        "IAM-42",
        "10342",
        "https://acme.atlassian.net/browse/IAM-42",
        "jira-tok-alice",
        "acc-alice",
        "01JD8X4ZQK5M7N9P2R3S4T5V1A",
    ),
    Case(
        "linear",
        "acme-web",
        "Clerk auth",
        "WEB-123",
        "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d",
        "https://linear.app/acme/issue/WEB-123/add-clerk-auth",
        "lin-tok-alice",
        "lin-alice",
        "01JD8X4ZQK5M7N9P2R3S4T5V2B",
    ),
    Case(
        "github",
        "acme-web",
        "Safari flickers",
        "acme/web#3",
        "",  # read from the search answer
        "https://github.com/acme/web/issues/3",
        "gh-tok-alice",
        "gh-alice",
        "01JD8X4ZQK5M7N9P2R3S4T5V3C",
    ),
]


def trackers_yaml(jira: str, linear: str, github: str, *, timeout: float | None = None) -> str:
    extra = f"\n    timeout_seconds: {timeout}" if timeout else ""
    return f"""\
task_trackers:
  jira:
    enabled: true
    server_url: "{jira}"
    credentials: "env:KITTY_TEST_JIRA_INSTALL"{extra}
  linear:
    enabled: true
    api_url: "{linear}/graphql"
    api_key: "env:KITTY_TEST_LINEAR_INSTALL"{extra}
  github:
    enabled: true
    api_url: "{github}"
    token: "env:KITTY_TEST_GITHUB_INSTALL"{extra}
"""


@pytest.fixture(scope="module")
def fakes() -> Iterator[dict[str, MockProcess]]:
    started: dict[str, MockProcess] = {}
    try:
        for provider in ("jira", "linear", "github"):
            started[provider] = start_tracker_fake(provider)
        yield started
    finally:
        for fake in started.values():
            fake.stop()


@pytest.fixture(scope="module")
def mock(
    fakes: dict[str, MockProcess], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MockProcess]:
    path = tmp_path_factory.mktemp("trackers") / "task_trackers.yaml"
    path.write_text(
        trackers_yaml(fakes["jira"].url, fakes["linear"].url, fakes["github"].url),
        encoding="utf-8",
    )
    with running_mock("--trackers", str(path), env=INSTALLATION) as process:
        yield process


@pytest.fixture
def client(mock: MockProcess) -> Iterator[SaaSTrackerClient]:
    settings = ClientSettings.from_env(
        env={},
        base_url=mock.url,
        team="acme",
        token_provider=StaticTokenProvider(ALICE),
        allow_github=True,
    )
    with SaaSTrackerClient(settings) as saas:
        yield saas


def received(fake: MockProcess) -> list[dict[str, Any]]:
    answer = httpx.get(fake.url + RECORDER_PATH, timeout=5)
    requests: list[dict[str, Any]] = answer.json()["requests"]
    httpx.delete(fake.url + RECORDER_PATH, timeout=5)
    return requests


def test_the_startup_line_says_which_tracker_goes_where(
    mock: MockProcess, fakes: dict[str, MockProcess]
) -> None:
    routes = mock.startup["trackers"]
    assert (
        routes["jira"]
        == f"{fakes['jira'].url}, installation credential env:KITTY_TEST_JIRA_INSTALL"
    )
    assert routes["linear"].startswith(f"{fakes['linear'].url}/graphql, ")
    assert routes["github"].startswith(f"{fakes['github'].url}, ")
    assert "install-" not in str(mock.startup)


@pytest.mark.parametrize("case", CASES, ids=[c.provider for c in CASES])
def test_search_bind_and_refresh_reach_the_tracker_over_the_socket_as_the_user(
    case: Case, client: SaaSTrackerClient, fakes: dict[str, MockProcess]
) -> None:
    fake = fakes[case.provider]
    received(fake)

    by_text = client.search_issues(case.provider, case.project, query_text=case.text)
    keys = [c["external_issue_key"] for c in by_text["candidates"]]
    assert case.key in keys
    by_key = client.search_issues(case.provider, case.project, query_key=case.key)
    [hit] = by_key["candidates"]
    assert (hit["external_issue_key"], hit["url"]) == (case.key, case.url)
    assert not case.issue_id or hit["external_issue_id"] == case.issue_id

    mission = case.mission_id
    bound = client.bind_mission_origin(
        case.provider,
        case.project,
        feature_slug=f"061-{case.provider}",
        mission_id=mission,
        external_issue_id=hit["external_issue_id"],
        external_issue_key=hit["external_issue_key"],
        external_issue_url=hit["url"],
        title=hit["title"],
    )
    assert (bound["external_issue_key"], bound["external_issue_url"]) == (case.key, case.url)
    seen = received(fake)
    # Search (text and key) and bind all went over the socket, each with alice's own link.
    assert len(seen) >= 3
    assert {r["token_sha256"] for r in seen} == {token_fingerprint(case.user_link)}
    assert {r["account"] for r in seen} == {case.account}

    refreshed = client.refresh_mission_origin(mission)
    assert refreshed.changed == []
    seen = received(fake)
    assert seen
    assert {r["token_sha256"] for r in seen} == {token_fingerprint(case.user_link)}
    installation = token_fingerprint(INSTALLATION[f"KITTY_TEST_{case.provider.upper()}_INSTALL"])
    assert installation not in {r["token_sha256"] for r in seen}


def test_tickets_of_a_configured_tracker_are_not_the_mocks_to_edit(mock: MockProcess) -> None:
    with httpx.Client(base_url=mock.url, timeout=10) as http:
        admin = MockAdmin(http)
        with pytest.raises(AdminError) as refused:
            admin.tickets.update("jira", "IAM-42", title="Edited behind Jira's back")
    assert (refused.value.status, refused.value.body["error_code"]) == (422, "validation_failed")
    assert "task_trackers.yaml" in refused.value.body["message"]


# -- a tracker nobody answers for ---------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


BIND = "/api/v1/tracker/mission-origin/bind/"
SEARCH = "/api/v1/tracker/issue-search/"
HEADERS = {"Authorization": f"Bearer {ALICE}", "X-Team-Slug": "acme"}
IAM_42 = {
    "provider": "jira",
    "project_slug": "acme-iam",
    "mission_id": "01JD8X4ZQK5M7N9P2R3S4T5V6W",
    "external_issue_id": "10342",
    "external_issue_key": "IAM-42",
    "external_issue_url": "https://acme.atlassian.net/browse/IAM-42",
    "external_title": "Rotate signing keys for SSO",
}
# The connector's own deadline (RetryPolicy.deadline) plus room for a loaded machine.
DEADLINE_SECONDS = RetryPolicy().deadline + 3.0


@pytest.mark.parametrize(
    ("where", "status", "code"),
    [("closed", 502, "provider_unavailable"), ("silent", 504, "provider_timeout")],
)
def test_an_unreachable_tracker_is_a_502_or_504_with_no_effect_within_the_deadline(
    where: str,
    status: int,
    code: str,
    hanging_tracker: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = hanging_tracker if where == "silent" else f"http://127.0.0.1:{_closed_port()}"
    path = tmp_path / "task_trackers.yaml"
    path.write_text(trackers_yaml(url, url, url, timeout=0.5), encoding="utf-8")
    settings = MockSettings.from_env(environ=INSTALLATION, task_trackers_path=path)
    with TestClient(create_app(settings)) as mock:
        for request in (
            {
                "url": SEARCH,
                "json": {"provider": "jira", "project_slug": "acme-iam", "query_key": "IAM-42"},
            },
            {"url": BIND, "json": IAM_42},
        ):
            started = time.monotonic()
            answer = mock.post(headers=HEADERS, **request)
            elapsed = time.monotonic() - started
            body = answer.json()
            assert (answer.status_code, body["error_code"]) == (status, code), body
            assert body["effect_certainty"] == "no_effect"
            assert elapsed < DEADLINE_SECONDS
        assert (
            mock.get("/__admin/origin-links", headers={"X-Admin-Token": "admin-secret"}).json()[
                "origin_links"
            ]
            == []
        )
