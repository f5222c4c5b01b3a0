"""The real `spec-kitty-cli` 3.2.7, unmodified, against the mock SaaS running as a process.

Each workspace is a separate project (own runtime root and project uuid) because the CLI's
operation ledger allows one distinct search per project. Fixtures are module-scoped: setting a
workspace up costs a `spec-kitty init` plus three CLI runs.
"""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.interop.mock_server import (
    REFRESH_TOKEN,
    STALE_ACCESS_TOKEN,
    RunningMock,
    disable_async_bind,
    enable_async_bind,
    inject_rate_limit,
    session_for,
    stored_events,
)
from tests.interop.upstream_cli import (
    DriverResult,
    TrackerBinding,
    Workspace,
    prepare_workspace,
)

pytestmark = pytest.mark.slow

WEB_123 = "WEB-123"
WEB_127 = "WEB-127"
IAM_42 = "IAM-42"


def _workspace(
    python: Path,
    tmp_path_factory: pytest.TempPathFactory,
    mock: RunningMock,
    tracker: TrackerBinding,
) -> Workspace:
    root = tmp_path_factory.mktemp(f"ws-{tracker.project_slug}")
    return prepare_workspace(python, root, mock.base_url, tracker, session_for(mock.base_url))


def _candidate(search: dict[str, Any], key: str) -> dict[str, Any]:
    matches: list[dict[str, Any]] = [
        c for c in search["candidates"] if c["external_issue_key"] == key
    ]
    assert matches, f"{key} not among {[c['external_issue_key'] for c in search['candidates']]}"
    return matches[0]


# --- Linear project acme-web: text search, ticket-first mission, re-bind, conflict, events ------


@pytest.fixture(scope="module")
def linear_ws(
    upstream_python: Path, tmp_path_factory: pytest.TempPathFactory, mock_saas: RunningMock
) -> Workspace:
    return _workspace(
        upstream_python, tmp_path_factory, mock_saas, TrackerBinding("linear", "acme-web")
    )


@pytest.fixture(scope="module")
def linear_search(linear_ws: Workspace) -> DriverResult:
    return linear_ws.driver("search", query_text="Clerk auth")


@pytest.fixture(scope="module")
def linear_mission(linear_ws: Workspace, linear_search: DriverResult) -> dict[str, Any]:
    search = linear_search.value()
    started = linear_ws.driver(
        "start-from-ticket",
        candidate=_candidate(search, WEB_123),
        provider=search["provider"],
        resource_type=search["resource_type"],
        resource_id=search["resource_id"],
    )
    result: dict[str, Any] = started.value()
    result["http"] = started.requests("/api/v1/tracker/")
    return result


def test_search_by_text(linear_search: DriverResult) -> None:
    search = linear_search.value()
    keys = [c["external_issue_key"] for c in search["candidates"]]
    assert WEB_123 in keys
    assert WEB_127 in keys
    assert search["provider"] == "linear"
    assert search["query_used"] == "Clerk auth"
    assert search["resource_type"] == "linear_team"
    assert search["resource_id"]
    for candidate in search["candidates"]:
        assert candidate["match_type"] == "text"
        assert candidate["url"].startswith("https://")
    assert linear_search.requests("/api/v1/tracker/") == [
        ("POST", "/api/v1/tracker/issue-search/", 200)
    ]


def test_start_mission_from_ticket_binds_origin(
    linear_ws: Workspace, linear_mission: dict[str, Any]
) -> None:
    origin = linear_mission["origin_ticket"]
    assert origin["provider"] == "linear"
    assert origin["external_issue_key"] == WEB_123
    assert origin["title"] == "Add Clerk auth"
    assert origin["resource_type"] == "linear_team"
    assert linear_mission["event_emitted"] is True
    assert linear_mission["http"] == [("POST", "/api/v1/tracker/mission-origin/bind/", 200)]
    meta = linear_ws.driver("read-meta", feature_dir=linear_mission["feature_dir"]).value()
    assert meta["origin_ticket"]["external_issue_key"] == WEB_123
    assert meta["mission_slug"] == linear_mission["mission_slug"]


def test_rebind_same_ticket_succeeds(linear_ws: Workspace, linear_mission: dict[str, Any]) -> None:
    search = linear_ws.driver("search", query_text="Clerk auth").value()
    candidate = _candidate(search, WEB_123)
    # The identical bind is answered from the CLI's operation ledger; nothing goes on the wire.
    same = linear_ws.driver(
        "bind", feature_dir=linear_mission["feature_dir"], candidate=candidate, provider="linear"
    )
    assert same.value()["meta"]["origin_ticket"]["external_issue_key"] == WEB_123
    assert same.requests("/mission-origin/bind/") == []
    # The same ticket whose status moved on is a new request body: the SaaS sees a re-bind of the
    # same origin and must answer it as a success (the existing link), not a conflict.
    moved = linear_ws.driver(
        "bind",
        feature_dir=linear_mission["feature_dir"],
        candidate={**candidate, "status": "In Review"},
        provider="linear",
    )
    assert moved.value()["meta"]["origin_ticket"]["external_issue_key"] == WEB_123
    assert moved.requests("/mission-origin/bind/") == [
        ("POST", "/api/v1/tracker/mission-origin/bind/", 200)
    ]


def test_bind_different_ticket_is_a_clear_conflict(
    linear_ws: Workspace, linear_mission: dict[str, Any]
) -> None:
    search = linear_ws.driver("search", query_text="Clerk auth").value()
    other = linear_ws.driver(
        "bind",
        feature_dir=linear_mission["feature_dir"],
        candidate=_candidate(search, WEB_127),
        provider="linear",
    )
    assert not other.ok
    assert other.error is not None
    assert other.error["type"] == "OriginBindingError"
    assert "already bound" in other.error["message"].lower()
    cause = other.error["cause"]
    assert cause["type"] == "SaaSTrackerClientError"
    assert cause["status_code"] == 409
    assert cause["error_code"] in {"conflict", "origin_already_bound"}
    assert other.requests("/mission-origin/bind/") == [
        ("POST", "/api/v1/tracker/mission-origin/bind/", 409)
    ]
    # SaaS first, local second: the refused bind leaves the mission's origin untouched.
    meta = linear_ws.driver("read-meta", feature_dir=linear_mission["feature_dir"]).value()
    assert meta["origin_ticket"]["external_issue_key"] == WEB_123


def test_sync_now_delivers_mission_origin_bound(
    linear_ws: Workspace, linear_mission: dict[str, Any], mock_saas: RunningMock
) -> None:
    mission_id = linear_ws.driver("read-meta", feature_dir=linear_mission["feature_dir"]).value()[
        "mission_id"
    ]
    done = linear_ws.spec_kitty("sync", "now")
    summary = " ".join(done.stdout.split())
    delivered = re.search(r"delivered (\d+)", summary)
    assert delivered is not None, done.stdout
    assert int(delivered.group(1)) > 0, done.stdout
    assert "rejected 0" in summary, done.stdout
    assert "terminal-failed 0" in summary, done.stdout
    bound = [
        event
        for event in stored_events(mock_saas.base_url)
        if event.get("event_type") == "MissionOriginBound"
        and event.get("payload", {}).get("mission_id") == mission_id
    ]
    assert bound, f"no MissionOriginBound for {mission_id} stored: {done.stdout}"
    for event in bound:
        payload = event["payload"]
        assert payload["external_issue_key"] == WEB_123
        assert payload["provider"] == "linear"
        assert payload["mission_slug"] == linear_mission["mission_slug"]
        assert event["aggregate_id"] == mission_id
        assert event["project_uuid"] == linear_ws.project_uuid
    # A second pass has nothing new to deliver and must not duplicate what the mock stored.
    # `--no-strict`: with nothing selectable, strict mode exits 1 because the sealed pre-consent
    # epoch still retains `init`'s events.
    second = linear_ws.spec_kitty("sync", "now", "--no-strict")
    assert "selected 0" in " ".join(second.stdout.split()), second.stdout
    again = [
        e
        for e in stored_events(mock_saas.base_url)
        if e.get("event_id") in {b["event_id"] for b in bound}
    ]
    assert len(again) == len(bound)


# --- Jira project acme-iam: search by key, bind answered with 202 + polling ---------------------


@pytest.fixture(scope="module")
def jira_ws(
    upstream_python: Path, tmp_path_factory: pytest.TempPathFactory, mock_saas: RunningMock
) -> Workspace:
    return _workspace(
        upstream_python, tmp_path_factory, mock_saas, TrackerBinding("jira", "acme-iam")
    )


@pytest.fixture(scope="module")
def jira_search(jira_ws: Workspace) -> DriverResult:
    return jira_ws.driver("search", query_key=IAM_42)


def test_search_by_key(jira_search: DriverResult) -> None:
    search = jira_search.value()
    assert [c["external_issue_key"] for c in search["candidates"]] == [IAM_42]
    assert search["candidates"][0]["match_type"] == "exact"
    assert search["provider"] == "jira"
    assert search["resource_type"] == "jira_project"
    assert search["query_used"] == IAM_42


def test_bind_through_202_and_operation_polling(
    jira_ws: Workspace, jira_search: DriverResult, mock_saas: RunningMock
) -> None:
    search = jira_search.value()
    enable_async_bind(mock_saas.base_url)
    try:
        started = jira_ws.driver(
            "start-from-ticket",
            candidate=_candidate(search, IAM_42),
            provider="jira",
            resource_type=search["resource_type"],
            resource_id=search["resource_id"],
        )
    finally:
        disable_async_bind(mock_saas.base_url)
    result = started.value()
    assert result["origin_ticket"]["external_issue_key"] == IAM_42
    calls = started.requests("/api/v1/tracker/")
    assert calls[0] == ("POST", "/api/v1/tracker/mission-origin/bind/", 202)
    polls = calls[1:]
    assert polls, "the CLI never polled the operation"
    assert all(m == "GET" and p.startswith("/api/v1/tracker/operations/") for m, p, _ in polls)
    assert all(status == 200 for _, _, status in polls)
    meta = jira_ws.driver("read-meta", feature_dir=result["feature_dir"]).value()
    assert meta["origin_ticket"]["external_issue_key"] == IAM_42
    assert meta["origin_ticket"]["provider"] == "jira"


# --- Rate limiting: one 429 with `retry_after_seconds`, then success ----------------------------


@pytest.fixture(scope="module")
def rate_limited_ws(
    upstream_python: Path, tmp_path_factory: pytest.TempPathFactory, mock_saas: RunningMock
) -> Workspace:
    return _workspace(
        upstream_python, tmp_path_factory, mock_saas, TrackerBinding("linear", "acme-web")
    )


def test_search_survives_one_429(rate_limited_ws: Workspace, mock_saas: RunningMock) -> None:
    inject_rate_limit(mock_saas.base_url, count=1, retry_after_seconds=1)
    started = time.monotonic()
    search = rate_limited_ws.driver("search", query_text="Clerk middleware")
    elapsed = time.monotonic() - started
    assert WEB_127 in [c["external_issue_key"] for c in search.value()["candidates"]]
    assert search.requests("/api/v1/tracker/") == [
        ("POST", "/api/v1/tracker/issue-search/", 429),
        ("POST", "/api/v1/tracker/issue-search/", 200),
    ]
    # The CLI waits the body's retry_after_seconds before its single retry.
    assert elapsed >= 1.0


# --- Expired access token: one 401, refresh through POST /oauth/token, retry -------------------


@pytest.fixture(scope="module")
def stale_token_ws(
    upstream_python: Path, tmp_path_factory: pytest.TempPathFactory, mock_saas: RunningMock
) -> Workspace:
    session = dataclasses.replace(
        session_for(mock_saas.base_url),
        access_token=STALE_ACCESS_TOKEN,
        refresh_token=REFRESH_TOKEN,
    )
    root = tmp_path_factory.mktemp("ws-stale-token")
    tracker = TrackerBinding("linear", "acme-web")
    return prepare_workspace(upstream_python, root, mock_saas.base_url, tracker, session)


def test_search_refreshes_a_rejected_token_once(stale_token_ws: Workspace) -> None:
    search = stale_token_ws.driver("search", query_key=WEB_127)
    assert [c["external_issue_key"] for c in search.value()["candidates"]] == [WEB_127]
    assert search.requests() == [
        ("POST", "/api/v1/tracker/issue-search/", 401),
        ("POST", "/oauth/token", 200),
        ("POST", "/api/v1/tracker/issue-search/", 200),
    ]
