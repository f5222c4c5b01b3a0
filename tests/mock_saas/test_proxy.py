"""The validating proxy: transparent, silent on a conforming upstream, loud on each deviation.

The upstream is reached in process (an injected ASGI transport); the client side is Starlette's
TestClient over the proxy app, so the real client runs through it unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from kitty_contracts.error_catalogue import error_spec, retryable_statuses
from kitty_mock_saas.app import create_app
from kitty_mock_saas.proxy import ValidatingProxy
from kitty_mock_saas.settings import MockSettings, ProxySettings
from kitty_origin import (
    ClientSettings,
    ContractViolationError,
    OriginAlreadyBoundError,
    SaaSTrackerClient,
    StaticTokenProvider,
    UserLinkRequiredError,
    bind_origin,
    flush_events,
    search_origin_candidates,
    start_mission_from_ticket,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from tests.client.fakes import EXAMPLES, JIRA_CONFIG, LINEAR_CONFIG, FakeClock, write_config
from tests.mock_saas.conftest import ALICE, BIND, SEARCH, bind_body

UPSTREAM = "http://upstream.invalid"


def _proxy(upstream: Any, tmp_path: Path, **settings: Any) -> ValidatingProxy:
    return ValidatingProxy(
        ProxySettings(upstream_url=UPSTREAM, report_path=tmp_path / "report.json", **settings),
        transport=httpx.ASGITransport(app=upstream),
    )


def _client(proxy: TestClient, token: str = "tok-alice") -> SaaSTrackerClient:
    clock = FakeClock()
    settings = ClientSettings.from_env(
        env={},
        base_url=str(proxy.base_url),
        team="acme",
        token_provider=StaticTokenProvider(token),
    )
    return SaaSTrackerClient(
        settings, http_client=proxy, monotonic=clock.monotonic, sleep=clock.sleep, now=clock.now
    )


def _journal(proxy: TestClient) -> dict[str, Any]:
    journal: dict[str, Any] = proxy.get("/__proxy/journal").json()
    return journal


@pytest.fixture
def through_mock(tmp_path: Path) -> Iterator[TestClient]:
    upstream = create_app(MockSettings())
    with TestClient(_proxy(upstream, tmp_path, record_dir=tmp_path / "recorded")) as client:
        yield client


def test_the_whole_client_flow_through_the_proxy_finds_nothing(
    through_mock: TestClient, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    write_config(repo, LINEAR_CONFIG)
    client = _client(through_mock)
    found = search_origin_candidates(repo, query_text="Clerk auth", client=client)
    started = start_mission_from_ticket(
        repo, found.candidates[0], found.provider, found.resource_type, found.resource_id,
        client=client,
    )  # fmt: skip
    again = bind_origin(
        started.feature_dir, found.candidates[0], "linear", found.resource_type,
        found.resource_id, client=client,
    )  # fmt: skip
    assert again.origin_link.outcome.value == "existing"
    with pytest.raises(OriginAlreadyBoundError):
        bind_origin(started.feature_dir, found.candidates[1], "linear", "linear_team", "x",
                    client=client)  # fmt: skip
    assert flush_events(repo, client=client).pending == 0
    jira = tmp_path / "jira"
    write_config(jira, JIRA_CONFIG)
    with pytest.raises(UserLinkRequiredError):
        search_origin_candidates(jira, query_text="keys", client=_client(through_mock, "tok-bob"))

    journal = _journal(through_mock)
    assert journal["violating_exchanges"] == 0, journal["violations"]
    # search, spec draft, bind + its event batch, re-bind (no second event for a bound origin),
    # bob's search (the conflict is refused locally; the flush finds nothing left to send)
    assert journal["exchanges"] == 6


def test_answers_pass_through_unchanged(through_mock: TestClient) -> None:
    direct = TestClient(create_app(MockSettings()))
    via_proxy = through_mock.post(SEARCH, json=EXAMPLES["searchIssues:request:text_search"],
                                  headers={**ALICE, "Prefer": "example=text_search"})  # fmt: skip
    expected = direct.post(SEARCH, json=EXAMPLES["searchIssues:request:text_search"],
                           headers={**ALICE, "Prefer": "example=text_search"})  # fmt: skip
    assert (via_proxy.status_code, via_proxy.json()) == (expected.status_code, expected.json())
    assert "sl-violations" not in via_proxy.headers


def test_a_bad_request_is_reported_and_still_forwarded(through_mock: TestClient) -> None:
    response = through_mock.post(SEARCH, json={"provider": "linear", "limit": 0}, headers=ALICE)
    assert response.status_code == 422  # the upstream's own answer
    listed = json.loads(response.headers["sl-violations"])
    assert {item["location"][0] for item in listed} == {"request"}
    assert int(response.headers["x-kitty-contract-violations"]) == len(listed)


def test_recordings_never_hold_a_credential(through_mock: TestClient, tmp_path: Path) -> None:
    through_mock.post(BIND, json=bind_body(), headers=ALICE)
    through_mock.post(
        "/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": "refresh-alice",
            "client_id": "cli_native",
        },
    )
    files = sorted((tmp_path / "recorded").glob("*.json"))
    assert [p.name.split("-", 1)[1] for p in files] == [
        "bindMissionOrigin.json",
        "refreshAccessToken.json",
    ]
    recorded = "".join(p.read_text(encoding="utf-8") for p in files)
    assert "tok-alice" not in recorded
    assert "refresh-alice" not in recorded
    bind = json.loads(files[0].read_text(encoding="utf-8"))
    assert bind["response"]["status"] == 200
    assert bind["request"]["body"]["external_issue_key"] == "WEB-123"


# A tracker SaaS that drifts from the contract in one way per route, and conforms on one.
async def _search(request: Request) -> Response:
    body = EXAMPLES["searchIssues:response-200:text_search"]
    if (await request.json()).get("query_text") == "conforming":
        return JSONResponse(body)
    return JSONResponse({**body, "surprise": 1})


def _bind(request: Request) -> Response:
    body = dict(EXAMPLES["bindMissionOrigin:response-200:bind_new"])
    del body["origin_link_id"]
    return JSONResponse(body)


def _operation(request: Request) -> Response:
    return JSONResponse({"detail": "Not Found"}, status_code=404)


def _me(request: Request) -> Response:
    return JSONResponse({"id": "u1"}, status_code=201)


DEVIATING = Starlette(
    routes=[
        Route("/api/v1/tracker/issue-search/", _search, methods=["POST"]),
        Route("/api/v1/tracker/mission-origin/bind/", _bind, methods=["POST"]),
        Route("/api/v1/tracker/operations/{operation_id}/", _operation, methods=["GET"]),
        Route("/api/v1/me", _me, methods=["GET"]),
    ]
)


@pytest.fixture
def deviating(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(_proxy(DEVIATING, tmp_path)) as client:
        yield client


def _findings(response: httpx.Response) -> list[str]:
    return [item["message"] for item in json.loads(response.headers.get("sl-violations", "[]"))]


def test_each_deviation_of_the_upstream_is_reported_and_nothing_else(
    deviating: TestClient, tmp_path: Path
) -> None:
    search = deviating.post(
        SEARCH, json=EXAMPLES["searchIssues:request:text_search"], headers=ALICE
    )
    assert _findings(search) == [
        "body/: Additional properties are not allowed ('surprise' was unexpected)"
    ]
    assert search.json()["surprise"] == 1  # reported, not changed

    bind = deviating.post(BIND, json=EXAMPLES["bindMissionOrigin:request:bind_new"], headers=ALICE)
    assert _findings(bind) == ["body/: 'origin_link_id' is a required property"]

    operation = deviating.get(
        "/api/v1/tracker/operations/op_01JD8X4ZQK5M7N9P2R3S4T5V6W/", headers=ALICE
    )
    assert _findings(operation) == [
        "body/: Additional properties are not allowed ('detail' was unexpected)",
        *(
            f"body/: '{field}' is a required property"
            for field in ("error_code", "message", "retryable", "user_action_required")
        ),
    ]

    me = deviating.get("/api/v1/me", headers=ALICE)
    (wrong_status,) = _findings(me)
    assert wrong_status.startswith("status 201 is not documented for getCurrentUser")

    conforming = {**EXAMPLES["searchIssues:request:text_search"], "query_text": "conforming"}
    assert _findings(deviating.post(SEARCH, json=conforming, headers=ALICE)) == []

    journal = _journal(deviating)
    assert (journal["exchanges"], journal["violating_exchanges"]) == (5, 4)
    assert [v["operation_id"] for v in journal["violations"]] == [
        "searchIssues",
        "bindMissionOrigin",
        "getOperation",
        "getCurrentUser",
    ]
    assert all(f["direction"] == "response" for v in journal["violations"] for f in v["findings"])
    page = deviating.get("/__proxy/")
    assert "origin_link_id" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")


def test_the_report_is_written_on_exit(tmp_path: Path) -> None:
    with TestClient(_proxy(DEVIATING, tmp_path)) as client:
        client.get("/api/v1/me", headers=ALICE)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["upstream"] == UPSTREAM
    assert (report["exchanges"], report["violating_exchanges"]) == (1, 1)
    assert "tok-alice" not in json.dumps(report)


def test_strict_mode_refuses_a_violating_answer_with_a_non_retryable_code(
    tmp_path: Path,
) -> None:
    with TestClient(_proxy(DEVIATING, tmp_path, strict=True)) as client:
        search = client.post(
            SEARCH, json=EXAMPLES["searchIssues:request:text_search"], headers=ALICE
        )
        conforming = {**EXAMPLES["searchIssues:request:text_search"], "query_text": "conforming"}
        events = client.post(SEARCH, json=conforming, headers=ALICE)
    spec = error_spec("contract_violation")
    assert (search.status_code, spec.retryable) == (spec.status, False)
    assert spec.status not in retryable_statuses()
    body = search.json()
    assert (body["error_code"], body["retryable"]) == ("contract_violation", False)
    assert body["effect_certainty"] == "unknown"
    assert "surprise" in body["message"]
    assert body["details"] == [
        {
            "field": "response",
            "issue": "body/: Additional properties are not allowed ('surprise' was unexpected)",
        }
    ]
    assert events.status_code == 200


def test_the_sdk_raises_a_contract_violation_at_once_behind_a_strict_proxy(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "repo"
    write_config(repo, LINEAR_CONFIG)
    with TestClient(_proxy(DEVIATING, tmp_path, strict=True)) as proxy:
        clock = FakeClock()
        settings = ClientSettings.from_env(
            env={}, base_url=str(proxy.base_url), team="acme",
            token_provider=StaticTokenProvider("tok-alice"),
        )  # fmt: skip
        client = SaaSTrackerClient(
            settings, http_client=proxy, monotonic=clock.monotonic, sleep=clock.sleep,
            now=clock.now,
        )  # fmt: skip
        with pytest.raises(ContractViolationError) as raised:
            search_origin_candidates(repo, query_text="Clerk auth", client=client)
        journal = _journal(proxy)
    assert raised.value.status_code == 424
    assert raised.value.problems == [
        "response: body/: Additional properties are not allowed ('surprise' was unexpected)"
    ]
    assert journal["exchanges"] == 1  # one attempt: nothing retried
    assert clock.sleeps == []


def test_an_unreachable_upstream_is_a_502_envelope(tmp_path: Path) -> None:
    proxy = ValidatingProxy(ProxySettings(upstream_url="http://127.0.0.1:9"))
    with TestClient(proxy) as client:
        response = client.post(
            SEARCH, json=EXAMPLES["searchIssues:request:text_search"], headers=ALICE
        )
    assert response.status_code == 502
    assert response.json()["error_code"] == "provider_unavailable"
    assert "could not be reached" in response.json()["message"]


def _replaying(recorded: Path) -> TestClient:
    return TestClient(create_app(MockSettings(replay_dir=recorded)))


def test_a_recording_is_served_again_by_the_mock_drift_included(tmp_path: Path) -> None:
    recorded = tmp_path / "recorded"
    request = EXAMPLES["searchIssues:request:text_search"]
    with TestClient(_proxy(DEVIATING, tmp_path, record_dir=recorded)) as proxy:
        original = proxy.post(SEARCH, json=request, headers=ALICE)
    with _replaying(recorded) as mock:
        replayed = mock.post(SEARCH, json=request, headers={**ALICE, "Authorization": "Bearer x"})
        other = mock.post(SEARCH, json={**request, "query_text": "Clerk"}, headers=ALICE)
    assert replayed.headers["x-kitty-replayed"] == "true"
    assert (replayed.status_code, replayed.json()) == (200, original.json())
    assert replayed.json()["surprise"] == 1  # what the recorded SaaS said, as it said it
    assert "x-kitty-replayed" not in other.headers
    assert other.status_code == 200


def test_a_replayed_sequence_keeps_its_order_then_repeats_the_last_answer(tmp_path: Path) -> None:
    recorded = tmp_path / "recorded"
    body = bind_body()
    with TestClient(_proxy(create_app(MockSettings()), tmp_path, record_dir=recorded)) as proxy:
        accepted = proxy.post(BIND, json=body, headers={**ALICE, "Prefer": "respond-async"})
        poll = f"/api/v1/tracker/operations/{accepted.json()['operation_id']}/"
        statuses = [proxy.get(poll, headers=ALICE).json()["status"] for _ in range(3)]
        proxy.post(
            "/oauth/token",
            data={"grant_type": "refresh_token", "refresh_token": "refresh-alice",
                  "client_id": "cli_native"},
        )  # fmt: skip
    assert statuses[-1] == "completed"
    assert len(set(statuses)) > 1
    with _replaying(recorded) as mock:
        again = mock.post(BIND, json=body, headers={**ALICE, "Prefer": "respond-async"})
        replayed = [mock.get(poll, headers=ALICE).json()["status"] for _ in range(4)]
        token = mock.post(
            "/oauth/token",
            data={"grant_type": "refresh_token", "refresh_token": "refresh-alice",
                  "client_id": "cli_native"},
        )  # fmt: skip
    assert again.json() == accepted.json()
    assert replayed == [*statuses, "completed"]
    assert token.headers["x-kitty-replayed"] == "true"  # matched although the secret is masked
    assert token.json()["access_token"] == "***"


def test_a_broken_recording_is_refused_with_its_file_name(tmp_path: Path) -> None:
    (tmp_path / "00001-x.json").write_text('{"request": {}}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"00001-x\.json: not a recorded exchange"):
        create_app(MockSettings(replay_dir=tmp_path))
