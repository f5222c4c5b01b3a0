"""The real `spec-kitty-cli` 3.2.7, unmodified, against the mock SaaS running as a process.

Three workspaces, each its own project (own runtime root and project uuid), because the CLI's
operation ledger allows one distinct search per project; no scenario repeats a search either, since
a repeat after the ledger's 120 s operation deadline is refused locally. The workspaces are built
concurrently once per module: each costs a `spec-kitty init` plus three CLI runs.

- `linear`: search by text, ticket-first mission (bind), identical and moved-status re-binds, a
  different ticket (409), `spec-kitty sync now` delivering `MissionOriginBound`.
- `jira`: search by key, bind answered 202 and polled.
- `resilience` (linear): a search that meets one 429, then a bind whose token the SaaS rejects
  (401 -> `POST /oauth/token` -> retry).
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
    origin_links,
    session_for,
    stored_events,
)
from tests.interop.upstream_cli import (
    DriverResult,
    TrackerBinding,
    Workspace,
    WorkspaceSpec,
    prepare_workspaces,
)

pytestmark = pytest.mark.slow

WEB_123 = "WEB-123"
WEB_127 = "WEB-127"
IAM_42 = "IAM-42"
BIND_PATH = "/api/v1/tracker/mission-origin/bind/"
SEARCH_PATH = "/api/v1/tracker/issue-search/"


def _candidate(search: dict[str, Any], key: str) -> dict[str, Any]:
    matches: list[dict[str, Any]] = [
        c for c in search["candidates"] if c["external_issue_key"] == key
    ]
    assert matches, f"{key} not among {[c['external_issue_key'] for c in search['candidates']]}"
    return matches[0]


def _start_from_ticket(ws: Workspace, search: dict[str, Any], key: str) -> DriverResult:
    return ws.driver(
        "start-from-ticket",
        candidate=_candidate(search, key),
        provider=search["provider"],
        resource_type=search["resource_type"],
        resource_id=search["resource_id"],
    )


@pytest.fixture(scope="module")
def workspaces(
    upstream_python: Path, tmp_path_factory: pytest.TempPathFactory, mock_saas: RunningMock
) -> dict[str, Workspace]:
    session = session_for(mock_saas.base_url)
    trackers = {
        "linear": TrackerBinding("linear", "acme-web"),
        "jira": TrackerBinding("jira", "acme-iam"),
        "resilience": TrackerBinding("linear", "acme-web"),
    }
    specs = {
        name: WorkspaceSpec(tmp_path_factory.mktemp(f"ws-{name}"), tracker, session)
        for name, tracker in trackers.items()
    }
    return prepare_workspaces(upstream_python, mock_saas.base_url, specs)


# --- linear: text search, ticket-first mission, re-bind, conflict, event delivery --------------


@pytest.fixture(scope="module")
def linear_ws(workspaces: dict[str, Workspace]) -> Workspace:
    return workspaces["linear"]


@pytest.fixture(scope="module")
def linear_search(linear_ws: Workspace) -> DriverResult:
    return linear_ws.driver("search", query_text="Clerk auth")


@pytest.fixture(scope="module")
def linear_mission(linear_ws: Workspace, linear_search: DriverResult) -> dict[str, Any]:
    started = _start_from_ticket(linear_ws, linear_search.value(), WEB_123)
    result: dict[str, Any] = started.value()
    result["http"] = started.requests("/api/v1/tracker/")
    result["meta"] = linear_ws.driver("read-meta", feature_dir=result["feature_dir"]).value()
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
    assert linear_search.requests("/api/v1/tracker/") == [("POST", SEARCH_PATH, 200)]


def test_start_mission_from_ticket_binds_origin(linear_mission: dict[str, Any]) -> None:
    origin = linear_mission["origin_ticket"]
    assert origin["provider"] == "linear"
    assert origin["external_issue_key"] == WEB_123
    assert origin["title"] == "Add Clerk auth"
    assert origin["resource_type"] == "linear_team"
    assert linear_mission["event_emitted"] is True
    assert linear_mission["http"] == [("POST", BIND_PATH, 200)]
    meta = linear_mission["meta"]
    assert meta["origin_ticket"]["external_issue_key"] == WEB_123
    assert meta["mission_slug"] == linear_mission["mission_slug"]


def test_rebind_same_ticket_succeeds(
    linear_ws: Workspace, linear_search: DriverResult, linear_mission: dict[str, Any]
) -> None:
    candidate = _candidate(linear_search.value(), WEB_123)
    feature_dir = linear_mission["feature_dir"]
    # The identical bind is answered from the CLI's operation ledger; nothing goes on the wire.
    same = linear_ws.driver("bind", feature_dir=feature_dir, candidate=candidate, provider="linear")
    assert same.value()["meta"]["origin_ticket"]["external_issue_key"] == WEB_123
    assert same.requests(BIND_PATH) == []
    # The same ticket whose status moved on is a new request body: the SaaS sees a re-bind of the
    # same origin and must answer it as a success (the existing link), not a conflict.
    moved = linear_ws.driver(
        "bind",
        feature_dir=feature_dir,
        candidate={**candidate, "status": "In Review"},
        provider="linear",
    )
    assert moved.value()["meta"]["origin_ticket"]["external_issue_key"] == WEB_123
    assert moved.requests(BIND_PATH) == [("POST", BIND_PATH, 200)]


def test_bind_different_ticket_is_a_clear_conflict(
    linear_ws: Workspace,
    linear_search: DriverResult,
    linear_mission: dict[str, Any],
    mock_saas: RunningMock,
) -> None:
    other = linear_ws.driver(
        "bind",
        feature_dir=linear_mission["feature_dir"],
        candidate=_candidate(linear_search.value(), WEB_127),
        provider="linear",
    )
    assert not other.ok
    assert other.error is not None
    assert other.error["type"] == "OriginBindingError"
    assert "already bound" in other.error["message"].lower()
    cause = other.error["cause"]
    assert cause["type"] == "SaaSTrackerClientError"
    assert cause["status_code"] == 409
    # The CLI reports `error_category` when present, else `error_code`.
    assert cause["error_code"] in {"conflict", "origin_already_bound"}
    assert other.requests(BIND_PATH) == [("POST", BIND_PATH, 409)]
    # SaaS first, local second: the refused bind leaves the mission's origin untouched ...
    meta = linear_ws.driver("read-meta", feature_dir=linear_mission["feature_dir"]).value()
    assert meta["origin_ticket"]["external_issue_key"] == WEB_123
    # ... and the SaaS still holds exactly the one original link for the mission.
    mission_id = linear_mission["meta"]["mission_id"]
    links = [link for link in origin_links(mock_saas.base_url) if link["mission_id"] == mission_id]
    assert [link["external_issue_key"] for link in links] == [WEB_123]


def test_sync_now_delivers_mission_origin_bound(
    linear_ws: Workspace, linear_mission: dict[str, Any], mock_saas: RunningMock
) -> None:
    mission_id = linear_mission["meta"]["mission_id"]
    done = linear_ws.spec_kitty("sync", "now")
    summary = " ".join(done.stdout.split())
    delivered = re.search(r"delivered (\d+)", summary)
    assert delivered is not None, done.stdout
    assert int(delivered.group(1)) > 0, done.stdout
    assert "rejected 0" in summary, done.stdout
    assert "terminal-failed 0" in summary, done.stdout
    bound = [
        event
        for event in stored_events(mock_saas.base_url, "MissionOriginBound")
        if event.get("payload", {}).get("mission_id") == mission_id
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
    bound_ids = {event["event_id"] for event in bound}
    again = [
        event
        for event in stored_events(mock_saas.base_url, "MissionOriginBound")
        if event.get("event_id") in bound_ids
    ]
    assert len(again) == len(bound)


# --- jira: search by key, bind answered with 202 + polling -------------------------------------


@pytest.fixture(scope="module")
def jira_search(workspaces: dict[str, Workspace]) -> DriverResult:
    return workspaces["jira"].driver("search", query_key=IAM_42)


def test_search_by_key(jira_search: DriverResult) -> None:
    search = jira_search.value()
    assert [c["external_issue_key"] for c in search["candidates"]] == [IAM_42]
    assert search["candidates"][0]["match_type"] == "exact"
    assert search["provider"] == "jira"
    assert search["resource_type"] == "jira_project"
    assert search["query_used"] == IAM_42


def test_bind_through_202_and_operation_polling(
    workspaces: dict[str, Workspace], jira_search: DriverResult, mock_saas: RunningMock
) -> None:
    jira_ws = workspaces["jira"]
    enable_async_bind(mock_saas.base_url)
    try:
        started = _start_from_ticket(jira_ws, jira_search.value(), IAM_42)
    finally:
        disable_async_bind(mock_saas.base_url)
    result = started.value()
    assert result["origin_ticket"]["external_issue_key"] == IAM_42
    calls = started.requests("/api/v1/tracker/")
    assert calls[0] == ("POST", BIND_PATH, 202)
    polls = calls[1:]
    assert polls, "the CLI never polled the operation"
    assert all(m == "GET" and p.startswith("/api/v1/tracker/operations/") for m, p, _ in polls)
    assert all(status == 200 for _, _, status in polls)
    meta = jira_ws.driver("read-meta", feature_dir=result["feature_dir"]).value()
    assert meta["origin_ticket"]["external_issue_key"] == IAM_42
    assert meta["origin_ticket"]["provider"] == "jira"


# --- resilience: one 429 on search, one 401 + token refresh on bind ----------------------------


@pytest.fixture(scope="module")
def rate_limited_search(
    workspaces: dict[str, Workspace], mock_saas: RunningMock
) -> tuple[DriverResult, float]:
    inject_rate_limit(mock_saas.base_url, count=1, retry_after_seconds=1)
    started = time.monotonic()
    search = workspaces["resilience"].driver("search", query_text="Clerk middleware")
    return search, time.monotonic() - started


def test_search_survives_one_429(rate_limited_search: tuple[DriverResult, float]) -> None:
    search, elapsed = rate_limited_search
    assert WEB_127 in [c["external_issue_key"] for c in search.value()["candidates"]]
    assert search.requests("/api/v1/tracker/") == [
        ("POST", SEARCH_PATH, 429),
        ("POST", SEARCH_PATH, 200),
    ]
    # The CLI waits the body's retry_after_seconds before its single retry.
    assert elapsed >= 1.0


def test_bind_refreshes_a_rejected_token_once(
    workspaces: dict[str, Workspace],
    rate_limited_search: tuple[DriverResult, float],
    mock_saas: RunningMock,
) -> None:
    ws = workspaces["resilience"]
    # Same user and teams, but an access token the SaaS no longer accepts (still unexpired
    # locally, so the CLI only learns it from the 401).
    stale = dataclasses.replace(
        session_for(mock_saas.base_url),
        access_token=STALE_ACCESS_TOKEN,
        refresh_token=REFRESH_TOKEN,
    )
    ws.write_session(stale)
    started = _start_from_ticket(ws, rate_limited_search[0].value(), WEB_127)
    assert started.value()["origin_ticket"]["external_issue_key"] == WEB_127
    assert started.requests() == [
        ("POST", BIND_PATH, 401),
        ("POST", "/oauth/token", 200),
        ("POST", BIND_PATH, 200),
    ]
