"""SaaSTrackerClient: wire shape, errors, retries, deadlines, refresh, idempotency, 202 polling."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from kitty_contracts import EventBatchResponse, IssueSearchResponse, OriginBindResponse
from kitty_origin import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ClientSettings,
    ConfigurationError,
    ContractViolationError,
    InvalidQueryError,
    InvalidRequestError,
    MissionMetaError,
    OriginAlreadyBoundError,
    OriginNotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResourceMappingNotFoundError,
    SaaSTrackerClient,
    SaaSUnavailableError,
    UserLinkRequiredError,
    write_meta,
)

from tests.client.fakes import FakeClock, FakeSaaS, envelope, example, make_client, settings
from tests.client.test_meta_store import META

WEB_123: dict[str, Any] = {
    "feature_slug": "061-web-123-add-clerk-auth",
    "external_issue_id": "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d",
    "external_issue_key": "WEB-123",
    "external_issue_url": "https://linear.app/acme/issue/WEB-123/add-clerk-auth",
    "title": "Add Clerk auth",
    "mission_id": "01JD8X4ZQK5M7N9P2R3S4T5V6W",
}


def error(status: int, body: dict[str, Any], **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def rate_limited(seconds: float | None = None, header: str | None = None) -> httpx.Response:
    body = envelope("rate_limited", "slow down", retryable=True)
    if seconds is not None:
        body["retry_after_seconds"] = seconds
    return httpx.Response(429, json=body, headers={"Retry-After": header} if header else {})


def unavailable() -> httpx.Response:
    return error(503, envelope("service_unavailable", "down for maintenance", retryable=True))


# -- search: FR-007, FR-009, FR-010 ------------------------------------------------------------


def test_search_issues_returns_the_spec_dict_and_the_contract_model_fr_007() -> None:
    saas = FakeSaaS()
    found = make_client(saas).search_issues("linear", "acme-web", query_text="Clerk auth")
    assert isinstance(found, dict)
    assert [c["external_issue_key"] for c in found["candidates"]] == ["WEB-123", "WEB-127"]
    assert isinstance(found.model, IssueSearchResponse)
    assert [c.external_issue_key for c in found.candidates] == ["WEB-123", "WEB-127"]
    assert (found.resource_type.value, found.resource_id) == (
        "linear_team",
        "8f6b2c1e-4a5d-4e2b-9c3f-1a2b3c4d5e6f",
    )


def test_search_sends_project_scope_and_user_token_fr_009_fr_010() -> None:
    saas = FakeSaaS()
    make_client(saas).search_issues("linear", "acme-web", query_text="Clerk auth", limit=5)
    request = saas.requests[0]
    assert (request.method, request.url.path) == ("POST", "/api/v1/tracker/issue-search/")
    assert request.headers["authorization"] == "Bearer tok-alice"
    assert request.headers["x-team-slug"] == "acme"
    assert json.loads(request.content) == {
        "provider": "linear",
        "project_slug": "acme-web",
        "query_text": "Clerk auth",
        "limit": 5,
    }


def test_search_key_takes_precedence_over_text_fr_002() -> None:
    saas = FakeSaaS()
    found = make_client(saas).search_issues(
        "linear", "acme-web", query_text="Clerk", query_key="WEB-127"
    )
    body = json.loads(saas.requests[0].content)
    assert body["query_key"] == "WEB-127"
    assert "query_text" not in body
    assert found.query_used == "WEB-127"
    assert [(c.external_issue_key, c.match_type.value) for c in found.candidates] == [
        ("WEB-127", "exact")
    ]


def test_search_without_query_is_refused_locally() -> None:
    saas = FakeSaaS()
    with pytest.raises(InvalidRequestError):
        make_client(saas).search_issues("linear", "acme-web")
    with pytest.raises(InvalidRequestError):
        make_client(saas).search_issues("linear", "acme-web", query_text="x", limit=0)
    assert saas.requests == []


def test_client_never_sends_provider_credentials_c_002() -> None:
    saas = FakeSaaS()
    client = make_client(saas)
    client.search_issues("linear", "acme-web", query_text="Clerk auth")
    client.bind_mission_origin("linear", "acme-web", **WEB_123)
    for request in saas.requests:
        sent = {k.lower() for k in request.headers}
        assert sent <= {
            "host", "accept", "accept-encoding", "connection", "user-agent", "authorization",
            "x-team-slug", "content-type", "content-length", "idempotency-key",
            "x-kitty-origin-providers",
        }  # fmt: skip
        assert request.headers["authorization"] == "Bearer tok-alice"
    names = {f.lower() for f in ClientSettings.__dataclass_fields__}
    assert not any(p in name for name in names for p in ("jira", "linear", "github_token"))


# -- search error table ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "name", "exception"),
    [
        (403, "missing_user_link", UserLinkRequiredError),
        (404, "no_resource_mapping", ResourceMappingNotFoundError),
        (422, "invalid_query", InvalidQueryError),
    ],
)
def test_search_error_examples_raise_their_domain_error(
    status: int, name: str, exception: type[Exception]
) -> None:
    saas = FakeSaaS(script=[error(status, example("searchIssues", status, name))])
    with pytest.raises(exception) as caught:
        make_client(saas).search_issues("linear", "acme-web", query_text="x")
    err = caught.value
    assert getattr(err, "status_code") == status  # noqa: B009
    assert getattr(err, "error_code") == example("searchIssues", status, name)["error_code"]  # noqa: B009
    assert len(saas.requests) == 1, "never retried"


def test_missing_user_link_directs_to_the_dashboard() -> None:
    saas = FakeSaaS()
    client = SaaSTrackerClient(
        ClientSettings.from_env(env={}, team="acme", token_provider=_Tokens("tok-bob")),
        transport=saas.transport(),
    )
    with pytest.raises(UserLinkRequiredError) as caught:
        client.search_issues("jira", "acme-iam", query_text="signing keys")
    assert "Spec Kitty dashboard" in caught.value.message
    assert caught.value.user_action_required is True
    assert caught.value.envelope is not None


def test_user_action_required_403_message_says_where_to_act() -> None:
    body = envelope("forbidden", "Not a member of team acme.", user_action_required=True)
    saas = FakeSaaS(script=[error(403, body)])
    with pytest.raises(PermissionDeniedError) as caught:
        make_client(saas).search_issues("linear", "acme-web", query_text="x")
    assert "Spec Kitty dashboard" in str(caught.value)


# -- retries -----------------------------------------------------------------------------------


def test_rate_limit_429_waits_retry_after_seconds_then_succeeds() -> None:
    clock = FakeClock()
    saas = FakeSaaS(script=[rate_limited(header="2")])
    found = make_client(saas, clock).search_issues("linear", "acme-web", query_text="Clerk")
    assert found.candidates
    assert clock.sleeps == [2.0]
    assert len(saas.requests) == 2


def test_rate_limit_429_honours_http_date_retry_after() -> None:
    clock = FakeClock()
    saas = FakeSaaS(script=[rate_limited(header="Wed, 01 Apr 2026 09:30:03 GMT")])
    make_client(saas, clock).search_issues("linear", "acme-web", query_text="Clerk")
    assert clock.sleeps == [3.0]


def test_rate_limit_429_honours_body_retry_after_seconds() -> None:
    clock = FakeClock()
    saas = FakeSaaS(script=[error(429, example("searchIssues", 429, "rate_limited"))])
    make_client(saas, clock).search_issues("linear", "acme-web", query_text="Clerk")
    assert clock.sleeps == [2.0]


def test_rate_limit_beyond_retry_budget_raises_rate_limit_error() -> None:
    clock = FakeClock()
    saas = FakeSaaS(script=[rate_limited(1), rate_limited(1), rate_limited(1)])
    with pytest.raises(RateLimitError) as caught:
        make_client(saas, clock).search_issues("linear", "acme-web", query_text="Clerk")
    assert caught.value.retry_after_seconds == 1
    assert len(saas.requests) == 3  # the first attempt plus max_retries=2


def test_rate_limit_wait_past_the_deadline_fails_at_once() -> None:
    clock = FakeClock()
    saas = FakeSaaS(script=[rate_limited(header="25")])
    with pytest.raises(RateLimitError):
        make_client(saas, clock).search_issues("linear", "acme-web", query_text="Clerk")
    assert clock.sleeps == []


def test_server_errors_back_off_exponentially_with_jitter() -> None:
    clock = FakeClock()
    saas = FakeSaaS(script=[unavailable(), unavailable()])
    make_client(saas, clock).search_issues("linear", "acme-web", query_text="Clerk")
    assert clock.sleeps == [0.5 * 0.875, 1.0 * 0.875]  # random() = 0.5 → 12.5% jitter


def test_connection_errors_are_retried() -> None:
    clock = FakeClock()
    boom = httpx.ConnectError("refused")
    saas = FakeSaaS(script=[boom, httpx.ReadTimeout("slow")])
    found = make_client(saas, clock).search_issues("linear", "acme-web", query_text="Clerk")
    assert found.candidates
    assert len(saas.requests) == 3


def test_unreachable_saas_raises_api_connection_error() -> None:
    saas = FakeSaaS(down=True)
    with pytest.raises(APIConnectionError) as caught:
        make_client(saas).search_issues("linear", "acme-web", query_text="Clerk")
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_search_completes_within_ten_seconds_nfr_001() -> None:
    clock = FakeClock()
    slow = [rate_limited(header="4") for _ in range(10)]
    saas = FakeSaaS(script=list(slow))
    with pytest.raises(RateLimitError):
        make_client(saas, clock, max_retries=10).search_issues(
            "linear", "acme-web", query_text="Clerk"
        )
    assert clock.elapsed < 10.0
    assert ClientSettings().search_deadline_seconds == 10.0


def test_each_attempt_timeout_is_capped_by_the_deadline_nfr_001() -> None:
    seen: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return unavailable()

    clock = FakeClock()
    client = make_client(httpx.MockTransport(handler), clock, timeout_seconds=30.0)
    with pytest.raises(SaaSUnavailableError):
        client.search_issues("linear", "acme-web", query_text="Clerk")
    assert all(t["read"] <= 10.0 for t in seen)


@pytest.mark.parametrize("status", [400, 403, 404, 409, 422])
def test_final_statuses_are_never_retried(status: int) -> None:
    codes = {400: "malformed_request", 403: "forbidden", 404: "not_found"}
    codes |= {409: "origin_already_bound", 422: "validation_failed"}
    saas = FakeSaaS(script=[error(status, envelope(codes[status]))])
    with pytest.raises(Exception):  # noqa: B017, PT011 - the class is checked in test_errors
        make_client(saas).bind_mission_origin("linear", "acme-web", **WEB_123)
    assert len(saas.requests) == 1


def test_401_refreshes_the_token_once_then_retries() -> None:
    tokens = _Tokens("tok-expired", refreshed="tok-alice")
    saas = FakeSaaS()
    client = SaaSTrackerClient(
        ClientSettings.from_env(env={}, team="acme", token_provider=tokens),
        transport=saas.transport(),
    )
    assert client.search_issues("linear", "acme-web", query_text="Clerk").candidates
    assert tokens.refreshes == 1
    assert [r.headers["authorization"] for r in saas.requests] == [
        "Bearer tok-expired",
        "Bearer tok-alice",
    ]


def test_second_401_after_refresh_raises_authentication_error() -> None:
    tokens = _Tokens("tok-expired", refreshed="tok-still-bad")
    saas = FakeSaaS()
    client = SaaSTrackerClient(
        ClientSettings.from_env(env={}, team="acme", token_provider=tokens),
        transport=saas.transport(),
    )
    with pytest.raises(AuthenticationError) as caught:
        client.search_issues("linear", "acme-web", query_text="Clerk")
    assert tokens.refreshes == 1
    assert len(saas.requests) == 2
    assert caught.value.status_code == 401


def test_missing_token_or_team_is_a_configuration_error() -> None:
    saas = FakeSaaS()
    no_token = SaaSTrackerClient(ClientSettings(team="acme"), transport=saas.transport())
    with pytest.raises(ConfigurationError, match="auth login"):
        no_token.search_issues("linear", "acme-web", query_text="Clerk")
    no_team = SaaSTrackerClient(
        ClientSettings(token_provider=_Tokens("tok-alice")), transport=saas.transport()
    )
    with pytest.raises(ConfigurationError, match="SPEC_KITTY_TEAM"):
        no_team.search_issues("linear", "acme-web", query_text="Clerk")
    assert saas.requests == []


# -- bind: FR-008 ------------------------------------------------------------------------------


def test_bind_sends_the_wire_field_names_and_returns_the_link_fr_008() -> None:
    saas = FakeSaaS()
    link = make_client(saas).bind_mission_origin(
        "linear", "acme-web", external_status="In Progress", **WEB_123
    )
    assert isinstance(link.model, OriginBindResponse)
    assert link["origin_link_id"] == link.model.origin_link_id
    body = json.loads(saas.requests[0].content)
    assert body["mission_slug"] == "061-web-123-add-clerk-auth"
    assert body["external_title"] == "Add Clerk auth"
    assert "title" not in body
    assert "feature_slug" not in body
    assert body["external_status"] == "In Progress"


def test_same_origin_rebind_returns_the_same_link_id() -> None:
    saas = FakeSaaS()
    client = make_client(saas)
    first = client.bind_mission_origin("linear", "acme-web", **WEB_123)
    again = client.bind_mission_origin("linear", "acme-web", **WEB_123)
    assert again.origin_link_id == first.origin_link_id
    assert (first.outcome.value, again.outcome.value) == ("created", "existing")


def test_different_origin_raises_origin_already_bound() -> None:
    saas = FakeSaaS()
    client = make_client(saas)
    client.bind_mission_origin("linear", "acme-web", **WEB_123)
    other = {**WEB_123, "external_issue_id": "9c2d4e6f-1a3b-4c5d-8e7f-2b4c6d8e0f1a"}
    with pytest.raises(OriginAlreadyBoundError) as caught:
        client.bind_mission_origin("linear", "acme-web", **other)
    assert caught.value.status_code == 409


def test_one_idempotency_key_per_bind_reused_on_every_retry() -> None:
    saas = FakeSaaS(script=[unavailable(), httpx.ConnectError("reset")])
    client = make_client(saas)
    client.bind_mission_origin("linear", "acme-web", **WEB_123)
    client.bind_mission_origin("linear", "acme-web", **WEB_123)
    keys = [r.headers["idempotency-key"] for r in saas.requests]
    assert len(keys) == 4
    assert keys[0] == keys[1] == keys[2], "retries of one bind share the key"
    assert keys[3] != keys[0], "a new logical write gets a new key"


def test_caller_supplied_idempotency_key_is_used() -> None:
    saas = FakeSaaS()
    make_client(saas).bind_mission_origin(
        "linear", "acme-web", idempotency_key="bind-web-123-first", **WEB_123
    )
    assert saas.requests[0].headers["idempotency-key"] == "bind-web-123-first"


def test_bind_answer_for_another_mission_is_a_contract_violation() -> None:
    wrong = example("bindMissionOrigin", 200, "bind_new")
    wrong["mission_id"] = "01JD8Y0A1B2C3D4E5F6G7H8J9K"
    saas = FakeSaaS(script=[httpx.Response(200, json=wrong)])
    with pytest.raises(ContractViolationError):
        make_client(saas).bind_mission_origin("linear", "acme-web", **WEB_123)


# -- 202 + polling -----------------------------------------------------------------------------


def _operation(status: str, **extra: Any) -> httpx.Response:
    body = example("bindMissionOrigin", 202, "bind_async")
    body.update(status=status, **extra)
    return httpx.Response(200, json=body)


def _accepted(**extra: Any) -> httpx.Response:
    body = example("bindMissionOrigin", 202, "bind_async")
    body.update(extra)
    return httpx.Response(202, json=body)


def test_202_is_polled_until_completed_honouring_poll_after() -> None:
    clock = FakeClock()
    result = example("bindMissionOrigin", 200, "bind_new")
    saas = FakeSaaS(
        script=[_accepted(), _operation("running"), _operation("completed", result=result)]
    )
    link = make_client(saas, clock).bind_mission_origin("linear", "acme-web", **WEB_123)
    assert link.origin_link_id == result["origin_link_id"]
    assert clock.sleeps == [0.2, 0.2]
    assert saas.paths()[1:] == ["/api/v1/tracker/operations/op_01JD8Y1M2N3P4Q5R6S7T8V9W0X/"] * 2
    assert saas.requests[1].method == "GET"


def test_failed_operation_raises_its_error() -> None:
    failed = envelope("origin_already_bound", "bound elsewhere")
    saas = FakeSaaS(script=[_accepted(), _operation("failed", error=failed)])
    with pytest.raises(OriginAlreadyBoundError):
        make_client(saas).bind_mission_origin("linear", "acme-web", **WEB_123)


def test_operation_still_pending_at_the_deadline_times_out() -> None:
    clock = FakeClock()
    saas = FakeSaaS(script=[_accepted(poll_after_seconds=5.0)])
    saas.script += [_operation("pending", poll_after_seconds=5.0) for _ in range(20)]
    with pytest.raises(APITimeoutError):
        make_client(saas, clock).bind_mission_origin("linear", "acme-web", **WEB_123)
    assert clock.elapsed <= ClientSettings().write_deadline_seconds


# -- contract violations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, content=b"<html>ok</html>"),
        httpx.Response(200, json={"candidates": [{"title": "no url"}]}),
        httpx.Response(200, json={**example("searchIssues", 200, "no_match"), "extra": 1}),
        httpx.Response(201, json=example("searchIssues", 200, "no_match")),
        httpx.Response(404, content=b"not found"),
        httpx.Response(418, json={"teapot": True}),
    ],
    ids=["not-json", "missing-fields", "extra-field", "undocumented-2xx", "bare-404", "teapot"],
)
def test_out_of_contract_answers_raise_contract_violation(response: httpx.Response) -> None:
    saas = FakeSaaS(script=[response])
    with pytest.raises(ContractViolationError) as caught:
        make_client(saas).search_issues("linear", "acme-web", query_text="x")
    assert caught.value.problems


def test_non_json_503_is_retried_then_reported_as_unavailable() -> None:
    page = httpx.Response(503, content=b"<html>maintenance</html>")
    saas = FakeSaaS(script=[page, page, page])
    with pytest.raises(SaaSUnavailableError) as caught:
        make_client(saas).search_issues("linear", "acme-web", query_text="x")
    assert caught.value.message == "HTTP 503"
    assert len(saas.requests) == 3


# -- event batch -------------------------------------------------------------------------------


def test_event_batch_is_gzip_json_with_the_sync_protocol_header() -> None:
    saas = FakeSaaS()
    event = {
        "event_id": "01JD8X4ZQK5M7N9P2R3S4T5V6W",
        "event_type": "BuildRegistered",
        "aggregate_id": "build-1",
        "payload": {},
        "timestamp": "2026-04-01T09:30:00Z",
    }
    answer = make_client(saas).send_event_batch([event])
    assert isinstance(answer, EventBatchResponse)
    request = saas.requests[0]
    assert request.url.path == "/api/v1/events/batch/"
    assert request.headers["content-encoding"] == "gzip"
    assert request.headers["x-spec-kitty-sync-protocol"] == "2.0"
    assert json.loads(gzip.decompress(request.content)) == {"events": [event]}


class _Tokens:
    def __init__(self, token: str, refreshed: str | None = None) -> None:
        self.current = token
        self.refreshed = refreshed or token
        self.refreshes = 0

    def token(self) -> str:
        return self.current

    def refresh(self) -> str:
        self.refreshes += 1
        self.current = self.refreshed
        return self.current


# -- bind without mission_id: issue 10 -----------------------------------------------------------


def test_a_bind_without_mission_id_outside_a_repo_is_refused_before_sending(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saas = FakeSaaS()
    monkeypatch.chdir(tmp_path)
    fields = {k: v for k, v in WEB_123.items() if k != "mission_id"}
    with pytest.raises(InvalidRequestError, match="mission_id"):
        make_client(saas).bind_mission_origin("linear", "acme-web", **fields)
    for slug in ("../../etc", "a/b", ".."):
        with pytest.raises(InvalidRequestError, match="feature_slug"):
            make_client(saas).bind_mission_origin(
                "linear", "acme-web", **{**fields, "feature_slug": slug}
            )
    assert saas.requests == []


def test_a_bind_without_mission_id_reads_it_from_the_missions_meta_json(tmp_path: Path) -> None:
    saas = FakeSaaS()
    (tmp_path / ".kittify").mkdir()
    feature_dir = tmp_path / "kitty-specs" / WEB_123["feature_slug"]
    feature_dir.mkdir(parents=True)
    write_meta(feature_dir, {**META, "mission_id": WEB_123["mission_id"]})
    fields = {k: v for k, v in WEB_123.items() if k != "mission_id"}
    client = SaaSTrackerClient(
        settings(), transport=saas.transport(), repo_root=tmp_path, sleep=lambda _: None
    )
    link = client.bind_mission_origin("linear", "acme-web", **fields)
    assert json.loads(saas.requests[0].content)["mission_id"] == WEB_123["mission_id"]
    assert link["mission_id"] == WEB_123["mission_id"]
    with pytest.raises(MissionMetaError):  # a mission the repo does not have
        client.bind_mission_origin("linear", "acme-web", **{**fields, "feature_slug": "062-other"})


# -- unbind, read, missions of a ticket --------------------------------------------------------


def test_unbind_read_and_list_against_the_mock() -> None:
    saas = FakeSaaS()
    client = make_client(saas)
    link = client.bind_mission_origin("linear", "acme-web", **WEB_123)
    assert client.get_mission_origin(WEB_123["mission_id"]).origin_link_id == link.origin_link_id
    listed = client.list_ticket_missions("linear", WEB_123["external_issue_id"])
    assert [m.mission_id for m in listed.links] == [WEB_123["mission_id"]]
    removed = client.unbind_mission_origin(WEB_123["mission_id"])
    assert (removed.outcome.value, removed.removed_link.origin_link_id) == (  # type: ignore[union-attr]
        "removed",
        link.origin_link_id,
    )
    keys = {r.headers["Idempotency-Key"] for r in saas.requests if r.url.path.endswith("unbind/")}
    assert len(keys) == 1, "the unbind carries an Idempotency-Key"
    with pytest.raises(OriginNotFoundError):
        client.get_mission_origin(WEB_123["mission_id"])


def test_malformed_mission_ids_and_tickets_are_refused_before_sending() -> None:
    saas = FakeSaaS()
    client = make_client(saas)
    with pytest.raises(InvalidRequestError):
        client.unbind_mission_origin("not-a-ulid")
    with pytest.raises(InvalidRequestError):
        client.get_mission_origin("../../etc")
    with pytest.raises(InvalidRequestError):
        client.list_ticket_missions("asana", "x")
    with pytest.raises(InvalidRequestError):
        client.list_ticket_missions("linear", "")
    assert saas.requests == []


def test_an_unbind_answer_for_another_mission_is_a_contract_violation() -> None:
    other = example("unbindMissionOrigin", 200, "unbind_again")
    other["mission_id"] = "01JD8Y0A1B2C3D4E5F6G7H8J9K"
    client = make_client(FakeSaaS(script=[httpx.Response(200, json=other)]))
    with pytest.raises(ContractViolationError):
        client.unbind_mission_origin(WEB_123["mission_id"])


def test_a_bind_answers_the_trackers_values_not_the_requests() -> None:
    claimed = {**WEB_123, "title": "Claimed", "external_issue_url": "https://evil.example/x"}
    link = make_client(FakeSaaS()).bind_mission_origin("linear", "acme-web", **claimed)
    assert (link.external_title, link.external_issue_url) == (
        WEB_123["title"],
        WEB_123["external_issue_url"],
    )
    assert (link.external_status, link.external_status_category.value) == (
        "In Progress",
        "in_progress",
    )
