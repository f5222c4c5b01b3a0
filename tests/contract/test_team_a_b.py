"""Team A / Team B coordination: both sides of the contract agree on its candidates and examples.

Team A (the connectors): every ticket of the seeded default world, fetched through its
provider's connector by an identity that may see it, normalizes to a contract-valid
`OriginCandidate`. That the provider fakes' own payloads match the official provider schemas is
proven by tests/connectors/test_provider_payloads.py and not repeated here.

Team B (the SaaS and its client): every named response example of the contract is what the mock
answers when driven into that situation for real (no `Prefer: example=`), and what the client
turns into its typed result or error. A recorder around the mock then shows that each request of
the client's whole flow, and each answer, conforms to the contract.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from kitty_contracts import OriginCandidate
from kitty_contracts.validation import validator
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings
from kitty_mock_saas.tracker_fakes import EmbeddedFakes, TrackerWorld, seed_default_world
from kitty_origin import (
    APIStatusError,
    ClientSettings,
    InvalidQueryError,
    OriginAlreadyBoundError,
    ProviderRejectedError,
    RateLimitError,
    ResourceMappingNotFoundError,
    SaaSTrackerClient,
    StaticTokenProvider,
    TicketNotFoundError,
    TicketOutOfScopeError,
    UserLinkRequiredError,
    bind_origin,
    flush_events,
    get_mission_origin,
    search_origin_candidates,
    start_mission_from_ticket,
    unbind_mission_origin,
)

from tests.client.fakes import JIRA_CONFIG, LINEAR_CONFIG, FakeClock, write_config
from tests.contract.examples import NamedExample, named_examples
from tests.contract.recorder import RecordingApp, operation_of, request_problems, response_problems

SEARCH = "/api/v1/tracker/issue-search/"
BIND = "/api/v1/tracker/mission-origin/bind/"
UNBIND = "/api/v1/tracker/mission-origin/unbind/"
SPEC_DRAFT = "/api/v1/tracker/spec-draft/"
ADMIN = {"X-Admin-Token": "admin-secret"}
EXAMPLES = list(named_examples())
RESPONSES = [e for e in EXAMPLES if e.side == "response"]
REQUESTS = {(e.operation_id, e.name): e.value for e in EXAMPLES if e.side == "request"}
# Generated per answer; the driver checks the ones that must repeat an earlier answer's.
IDS = frozenset(
    {
        "origin_link_id",
        "bound_at",
        "unbound_at",
        "refreshed_at",
        "operation_id",
        "created_at",
        "updated_at",
        "request_id",
    }
)


# The default world has over 40 tickets (Jira IAM + OPS, Linear WEB + API, GitHub acme/web).
MIN_CANDIDATES_CHECKED = 40

# -- Team A -----------------------------------------------------------------------------------


def test_every_ticket_of_the_default_world_normalizes_to_a_valid_candidate() -> None:
    """FR: connector output conforms to the contract's OriginCandidate, for every fixture ticket."""

    async def check(world: TrackerWorld) -> tuple[int, list[str]]:
        registry = EmbeddedFakes.over(world).registry()
        checked, problems = 0, []
        try:
            for container in world.containers():
                identities = world.identities(container.provider)
                for ticket in world.tickets(container.provider, container.key, limit=10_000):
                    viewers = [i for i in identities if ticket.visible_to(i.account_id)]
                    assert viewers, f"{ticket.key}: no identity of the world may see it"
                    connector = registry.connector(
                        container.provider, container.ref(), viewers[0].token
                    )
                    hits = await connector.search_by_key(ticket.key)
                    live = not (ticket.deleted or ticket.is_pull_request or ticket.transferred_to)
                    if live and [hit.external_issue_key for hit in hits] != [ticket.key]:
                        problems.append(f"{ticket.key}: by key found {hits!r}")
                    page = await connector.search_text(ticket.title, limit=50)
                    for candidate in [*hits, *page.candidates]:
                        checked += 1
                        problems += _candidate_problems(candidate)
        finally:
            await registry.aclose()
        return checked, problems

    world = TrackerWorld()
    try:
        seed_default_world(world)
        checked, problems = asyncio.run(check(world))
    finally:
        world.close()
    assert problems == []
    assert checked >= MIN_CANDIDATES_CHECKED, checked


def _candidate_problems(candidate: OriginCandidate) -> list[str]:
    value = candidate.model_dump(mode="json")
    errors = [e.message for e in validator("OriginCandidate").iter_errors(value)]
    return [f"{candidate.external_issue_key}: {error}" for error in errors]


# -- Team B: the mock answers each named example ------------------------------------------------


@dataclass
class Mock:
    """A fresh seeded mock, driven over its real routes."""

    client: TestClient

    def search(self, name: str, token: str = "tok-alice", team: str = "acme") -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}", "X-Team-Slug": team}
        answer: httpx.Response = self.client.post(
            SEARCH, headers=headers, json=REQUESTS[("searchIssues", name)]
        )
        return answer

    def bind(self, name: str, token: str = "tok-alice", **headers: str) -> httpx.Response:
        sent = {"Authorization": f"Bearer {token}", "X-Team-Slug": "acme", **headers}
        answer: httpx.Response = self.client.post(
            BIND, headers=sent, json=REQUESTS[("bindMissionOrigin", name)]
        )
        return answer

    def unbind(self, name: str) -> httpx.Response:
        sent = {"Authorization": "Bearer tok-alice", "X-Team-Slug": "acme"}
        answer: httpx.Response = self.client.post(
            UNBIND, headers=sent, json=REQUESTS[("unbindMissionOrigin", name)]
        )
        return answer

    def spec_draft(self, name: str) -> httpx.Response:
        sent = {"Authorization": "Bearer tok-alice", "X-Team-Slug": "acme"}
        answer: httpx.Response = self.client.post(
            SPEC_DRAFT, headers=sent, json=REQUESTS[("draftSpecFromIssue", name)]
        )
        return answer

    def fault(self, spec: dict[str, Any]) -> None:
        answer = self.client.post("/__admin/faults", headers=ADMIN, json=spec)
        assert answer.status_code == 201, answer.text


@dataclass
class Driven:
    response: httpx.Response
    # Ids this answer must repeat from an earlier one (the example shows the same values).
    same_ids: dict[str, Any] = field(default_factory=dict)
    # Fields whose wording the mock cannot know in this situation (see the driver).
    loose: frozenset[str] = frozenset()


def _rebind_same(mock: Mock) -> Driven:
    first = mock.bind("bind_new").json()
    again = mock.bind("rebind_same")
    return Driven(again, {k: first[k] for k in ("origin_link_id", "bound_at")})


def _already_bound(mock: Mock) -> Driven:
    assert mock.bind("bind_new").status_code == 200
    example = _response_example("bindMissionOrigin", "already_bound")
    return Driven(mock.bind("already_bound", **{"Idempotency-Key": example["idempotency_key"]}))


def _rate_limited(mock: Mock) -> Driven:
    example = _response_example("searchIssues", "rate_limited")
    mock.fault({"rate_limit": {"count": 1, "retry_after_seconds": example["retry_after_seconds"]}})
    # An injected fault answers before the body is read, so it cannot name the provider.
    return Driven(mock.search("rate_limited"), loose=frozenset({"message"}))


def _unbind_bound(mock: Mock) -> Driven:
    bound = mock.bind("bind_new").json()
    answer = mock.unbind("unbind_bound")
    removed = answer.json()["removed_link"]
    expected = _response_example("unbindMissionOrigin", "unbind_bound")["removed_link"]
    assert _without(removed, IDS) == _without(expected, IDS)
    assert {k: removed[k] for k in ("origin_link_id", "bound_at")} == {
        k: bound[k] for k in ("origin_link_id", "bound_at")
    }
    return Driven(answer, loose=frozenset({"removed_link"}))


def _refresh_unchanged(mock: Mock) -> Driven:
    bound = mock.bind("bind_new").json()
    sent = {"Authorization": "Bearer tok-alice", "X-Team-Slug": "acme"}
    answer: httpx.Response = mock.client.post(
        "/api/v1/tracker/mission-origin/refresh/",
        headers=sent,
        json=REQUESTS[("refreshMissionOrigin", "refresh_unchanged")],
    )
    expected = _response_example("refreshMissionOrigin", "refresh_unchanged")["link"]
    assert _without(answer.json()["link"], IDS) == _without(expected, IDS)
    assert answer.json()["link"]["origin_link_id"] == bound["origin_link_id"]
    return Driven(answer, loose=frozenset({"link"}))


def _unbind_again(mock: Mock) -> Driven:
    assert mock.bind("bind_new").status_code == 200
    assert mock.unbind("unbind_bound").json()["outcome"] == "removed"
    return Driven(mock.unbind("unbind_again"))


DRIVERS: dict[tuple[str, str], Callable[[Mock], Driven]] = {
    ("searchIssues", "text_search"): lambda m: Driven(m.search("text_search")),
    ("searchIssues", "exact_key"): lambda m: Driven(m.search("exact_key")),
    ("searchIssues", "no_match"): lambda m: Driven(m.search("no_match")),
    ("searchIssues", "missing_user_link"): lambda m: Driven(
        m.search("missing_user_link", "tok-bob")
    ),
    ("searchIssues", "no_resource_mapping"): lambda m: Driven(m.search("no_resource_mapping")),
    ("searchIssues", "invalid_query"): lambda m: Driven(m.search("invalid_query")),
    ("searchIssues", "rate_limited"): _rate_limited,
    ("searchIssues", "provider_not_allowed"): lambda m: Driven(
        m.search("provider_not_allowed", "tok-carol", "globex")
    ),
    ("bindMissionOrigin", "bind_new"): lambda m: Driven(m.bind("bind_new")),
    ("bindMissionOrigin", "rebind_same"): _rebind_same,
    ("bindMissionOrigin", "already_bound"): _already_bound,
    ("bindMissionOrigin", "bind_async"): lambda m: Driven(
        m.bind("bind_async", Prefer="respond-async")
    ),
    ("bindMissionOrigin", "missing_user_link"): lambda m: Driven(
        m.bind("missing_user_link", "tok-bob")
    ),
    ("bindMissionOrigin", "fabricated_ticket"): lambda m: Driven(m.bind("fabricated_ticket")),
    ("bindMissionOrigin", "ticket_out_of_scope"): lambda m: Driven(m.bind("ticket_out_of_scope")),
    ("unbindMissionOrigin", "unbind_bound"): _unbind_bound,
    ("unbindMissionOrigin", "unbind_again"): _unbind_again,
    ("refreshMissionOrigin", "refresh_unchanged"): _refresh_unchanged,
    ("draftSpecFromIssue", "spec_draft"): lambda m: Driven(m.spec_draft("spec_draft")),
    ("draftSpecFromIssue", "spec_draft_unknown_ticket"): lambda m: Driven(
        m.spec_draft("spec_draft_unknown_ticket")
    ),
}


def _response_example(operation_id: str, name: str) -> Any:
    for example in RESPONSES:
        if (example.operation_id, example.name) == (operation_id, name):
            return example.value
    raise KeyError((operation_id, name))


def _without(value: dict[str, Any], keys: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if k not in keys}


@pytest.fixture
def mock() -> Iterator[Mock]:
    with TestClient(create_app(MockSettings())) as client:
        yield Mock(client)


def test_every_named_response_example_has_a_driver() -> None:
    assert set(DRIVERS) == {(e.operation_id, e.name) for e in RESPONSES}


@pytest.mark.parametrize("example", RESPONSES, ids=lambda e: e.id)
def test_the_mock_answers_each_named_example_as_the_example_says(
    mock: Mock, example: NamedExample
) -> None:
    driver = DRIVERS.get((example.operation_id, example.name))
    assert driver is not None, f"no driver for the new named example {example.id}: add one"
    driven = driver(mock)
    answer, expected = driven.response, example.value
    assert answer.status_code == int(str(example.status)), answer.text
    body = answer.json()
    assert [e.message for e in validator(example.schema_name).iter_errors(body)] == []
    ignored = IDS | driven.loose
    assert _without(body, ignored) == _without(expected, ignored)
    assert set(body) - IDS == set(expected) - IDS
    for key, value in driven.same_ids.items():
        assert body[key] == value, key
    if "retry_after_seconds" in expected:
        assert answer.headers["Retry-After"] == f"{expected['retry_after_seconds']:g}"
    if "message" in driven.loose:
        assert f"Retry in {expected['retry_after_seconds']:g} seconds" in body["message"]


# -- Team B: the client round-trips each named example ------------------------------------------

ERROR_CLASSES: dict[str, type[APIStatusError]] = {
    "user_link_required": UserLinkRequiredError,
    "resource_mapping_not_found": ResourceMappingNotFoundError,
    "invalid_query": InvalidQueryError,
    "rate_limited": RateLimitError,
    "origin_already_bound": OriginAlreadyBoundError,
    "unsupported_provider": ProviderRejectedError,
    "ticket_not_found": TicketNotFoundError,
    "ticket_out_of_scope": TicketOutOfScopeError,
}


def _client(
    handler: Callable[[httpx.Request], httpx.Response], clock: FakeClock
) -> SaaSTrackerClient:
    settings = ClientSettings.from_env(
        env={},
        base_url="http://saas.invalid",
        team="acme",
        token_provider=StaticTokenProvider("tok-alice"),
        allow_github=True,  # the SaaS's policy answers for GitHub (provider_not_allowed)
    )
    return SaaSTrackerClient(
        settings,
        transport=httpx.MockTransport(handler),
        monotonic=clock.monotonic,
        sleep=clock.sleep,
        now=clock.now,
    )


def _completed(operation: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
    """The finished operation of an async bind of `request` (jira, the IAM project)."""
    result = {
        "origin_link_id": "oln_01JD8Y2A3B4C5D6E7F8G9H0J1K",
        "bound_at": operation["updated_at"],
        "outcome": "created",
        "resource_type": "jira_project",
        "resource_id": "10042",
        **{k: request[k] for k in ("mission_id", "mission_slug", "provider")},
        **{k: request[k] for k in request if k.startswith("external_")},
        "external_status_category": "in_progress",
    }
    finished = {**operation, "status": "completed", "result": result}
    assert [e.message for e in validator("Operation").iter_errors(finished)] == []
    return finished


def _call(
    client: SaaSTrackerClient, operation_id: str, request: dict[str, Any], key: str | None
) -> Any:
    if operation_id == "unbindMissionOrigin":
        return client.unbind_mission_origin(request["mission_id"])
    if operation_id == "refreshMissionOrigin":
        return client.refresh_mission_origin(request["mission_id"])
    if operation_id == "draftSpecFromIssue":
        return client.draft_spec(
            request["provider"],
            request["project_slug"],
            external_issue_id=request["external_issue_id"],
            external_issue_key=request.get("external_issue_key"),
        )
    if operation_id == "searchIssues":
        return client.search_issues(
            request["provider"],
            request["project_slug"],
            query_text=request.get("query_text"),
            query_key=request.get("query_key"),
            limit=request["limit"],
        )
    return client.bind_mission_origin(
        request["provider"],
        request["project_slug"],
        feature_slug=request["mission_slug"],
        external_issue_id=request["external_issue_id"],
        external_issue_key=request["external_issue_key"],
        external_issue_url=request["external_issue_url"],
        title=request["external_title"],
        mission_id=request["mission_id"],
        external_status=request["external_status"],
        idempotency_key=key,
    )


@pytest.mark.parametrize("example", RESPONSES, ids=lambda e: e.id)
def test_the_client_round_trips_each_named_example(example: NamedExample) -> None:
    request = REQUESTS[(example.operation_id, example.name)]
    status, value = int(str(example.status)), example.value
    sent: list[httpx.Request] = []

    def handler(http: httpx.Request) -> httpx.Response:
        sent.append(http)
        if http.method == "GET":  # the poll of an accepted async bind
            assert http.url.path == f"/api/v1/tracker/operations/{value['operation_id']}/"
            return httpx.Response(200, json=_completed(value, request))
        assert json.loads(http.content) == request  # the example's request, field for field
        headers = {"Retry-After": f"{value['retry_after_seconds']:g}"} if status == 429 else {}
        return httpx.Response(status, json=value, headers=headers)

    clock = FakeClock()
    client = _client(handler, clock)
    key = value.get("idempotency_key") if isinstance(value, dict) else None
    if status >= 400:
        with pytest.raises(APIStatusError) as caught:
            _call(client, example.operation_id, request, key)
        error = caught.value
        expected = ERROR_CLASSES[value["error_code"]]
        assert isinstance(error, expected)
        assert type(error).__name__ == expected.__name__
        assert (error.status_code, error.error_code) == (status, value["error_code"])
        assert error.message == value["message"]
        assert error.user_action_required is value["user_action_required"]
        assert error.envelope is not None
        assert error.envelope.model_dump(mode="json", exclude_unset=True) == value
        if status == 429:
            assert error.retry_after_seconds == value["retry_after_seconds"]
            assert clock.sleeps == [value["retry_after_seconds"]] * (len(sent) - 1)
        if key is not None:
            assert {r.headers["Idempotency-Key"] for r in sent} == {key}
        return
    result = _call(client, example.operation_id, request, key)
    if status == 202:
        assert [r.method for r in sent] == ["POST", "GET"]
        assert clock.sleeps == [value["poll_after_seconds"]]
        value = _completed(value, request)["result"]
    assert result.model_dump(mode="json", exclude_unset=True) == value


# -- Team B: every request of the client's whole flow matches the contract ---------------------


def test_every_request_of_the_client_flow_and_every_answer_match_the_contract(
    tmp_path: Path,
) -> None:
    app = create_app(MockSettings())
    recorder = RecordingApp(app)
    with TestClient(recorder) as http:
        clock = FakeClock()
        settings = ClientSettings.from_env(
            env={},
            base_url=str(http.base_url),
            team="acme",
            token_provider=StaticTokenProvider("tok-alice"),
        )
        client = SaaSTrackerClient(
            settings, http_client=http, monotonic=clock.monotonic, sleep=clock.sleep, now=clock.now
        )
        web, iam = tmp_path / "web", tmp_path / "iam"
        write_config(web, LINEAR_CONFIG)
        write_config(iam, JIRA_CONFIG)

        found = search_origin_candidates(web, query_text="Clerk auth", client=client)
        by_key = search_origin_candidates(iam, query_key="IAM-42", client=client)
        first, other = found.candidates[:2]
        started = start_mission_from_ticket(
            web, first, "linear", found.resource_type, found.resource_id, client=client
        )
        again = bind_origin(started.feature_dir, first, "linear", client=client)
        assert again.origin_link.origin_link_id == started.origin_link_id
        with pytest.raises(OriginAlreadyBoundError):  # the SaaS's 409, not the local refusal
            client.bind_mission_origin(
                "linear",
                "acme-web",
                feature_slug=started.feature_slug,
                external_issue_id=other.external_issue_id,
                external_issue_key=other.external_issue_key,
                external_issue_url=other.url,
                title=other.title,
                mission_id=started.mission_id,
            )
        http.post("/__admin/faults", headers=ADMIN, json={"async_bind": True})
        iam_ticket = by_key.candidates[0]
        started_async = start_mission_from_ticket(
            iam, iam_ticket, "jira", by_key.resource_type, by_key.resource_id, client=client
        )
        http.delete("/__admin/faults", headers=ADMIN)
        http.post("/__admin/faults", headers=ADMIN, json={"rate_limit": {"count": 1}})
        search_origin_candidates(web, query_key="WEB-127", client=client)  # 429, then retried
        # Each new origin delivered its event right after the bind; the re-bind queued none.
        assert (started.event_delivered, again.event_emitted) == (True, False)
        assert started_async.event_delivered is True
        link = get_mission_origin(started.feature_dir, client=client)
        assert link is not None
        assert link.origin_link_id == started.origin_link_id
        from_ticket = client.list_ticket_missions("linear", first.external_issue_id)
        assert [m.mission_id for m in from_ticket.links] == [started.mission_id]
        assert unbind_mission_origin(started.feature_dir, client=client).outcome.value == "removed"
        rebound = bind_origin(started.feature_dir, other, "linear", client=client)
        assert rebound.meta.origin_ticket == rebound.origin_ticket
        assert flush_events(web, client=client).pending == 0
        assert flush_events(iam, client=client).pending == 0
        assert started_async.origin_ticket.external_issue_key == "IAM-42"

    seen = [(operation_of(e), e) for e in recorder.exchanges]
    used = {op.operation_id for op, _ in seen if op is not None}
    assert used == {
        "searchIssues",
        "bindMissionOrigin",
        "getOperation",
        "ingestEventBatch",
        "getMissionOrigin",
        "listTicketMissions",
        "unbindMissionOrigin",
        "draftSpecFromIssue",
    }
    statuses = {(op.operation_id, e.status) for op, e in seen if op is not None}
    assert {("bindMissionOrigin", 202), ("bindMissionOrigin", 409)} <= statuses
    assert ("searchIssues", 429) in statuses
    problems = [
        f"{e.method} {e.path} -> {e.status}: {problem}"
        for e in recorder.exchanges
        for problem in [*request_problems(e), *response_problems(e)]
    ]
    assert problems == []
    batches = [e for e in recorder.exchanges if e.path == "/api/v1/events/batch/"]
    assert batches
    assert all(e.request_headers.get("content-encoding") == "gzip" for e in batches)
    assert all(gzip.decompress(e.request_body) for e in batches)


def test_the_recorder_catches_a_request_that_breaks_the_contract() -> None:
    """The checks are not vacuous: a keyless bind with a bad team slug and body is reported."""
    recorder = RecordingApp(create_app(MockSettings()))
    with TestClient(recorder) as http:
        http.post(BIND, headers={"X-Team-Slug": "-bad"}, json={"provider": "nope"})
        http.get("/api/v1/nowhere")
    bind, nowhere = recorder.exchanges
    problems = request_problems(bind)
    assert any(p.startswith("header X-Team-Slug") for p in problems), problems
    assert any(p.startswith("header Authorization") for p in problems), problems
    assert any(p.startswith("header Idempotency-Key") for p in problems), problems
    assert any(p.startswith("body") for p in problems), problems
    assert request_problems(nowhere) == ["GET /api/v1/nowhere is no operation of the contract"]
