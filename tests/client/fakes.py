"""Test doubles for the client suite: a fake clock and a small stateful fake SaaS.

The fake SaaS answers with the contract's named examples and checks every request it gets
against the contract, so a client that drifts from the wire fails here.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from kitty_contracts.validation import ComponentName, validator
from kitty_origin import ClientSettings, SaaSTrackerClient, StaticTokenProvider

from tests.contract.examples import named_examples

EXAMPLES: dict[str, Any] = {example.id: example.value for example in named_examples()}
START = datetime(2026, 4, 1, 9, 30, tzinfo=UTC)


def example(operation: str, status: int, name: str) -> Any:
    """A copy of a named response example of the contract."""
    return json.loads(json.dumps(EXAMPLES[f"{operation}:response-{status}:{name}"]))


def envelope(code: str, message: str = "failed", **extra: Any) -> dict[str, Any]:
    """A contract-valid ErrorEnvelope."""
    body = {"error_code": code, "message": message, "retryable": False}
    body["user_action_required"] = False
    body.update(extra)
    return body


class FakeClock:
    """Monotonic and wall clock that only move when the code under test sleeps."""

    def __init__(self) -> None:
        self.elapsed = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return 1000.0 + self.elapsed

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.elapsed += seconds

    def now(self) -> datetime:
        return START + timedelta(seconds=self.elapsed)

    def wall(self) -> float:
        return self.now().timestamp()


def check_against_contract(component: ComponentName, value: Any) -> None:
    problems = [e.message for e in validator(component).iter_errors(value)]
    assert not problems, f"{component}: {problems}"


Scripted = Callable[[httpx.Request], httpx.Response] | httpx.Response | Exception


@dataclass
class FakeSaaS:
    """A stateful fake of the SaaS tracker API (search, bind, operations, event batch)."""

    links: dict[str, dict[str, Any]] = field(default_factory=dict)
    idempotency: dict[str, tuple[bytes, dict[str, Any]]] = field(default_factory=dict)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    event_posts: list[list[str]] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    script: list[Scripted] = field(default_factory=list)
    down: bool = False
    user_links: dict[str, set[str]] = field(
        default_factory=lambda: {
            "tok-alice": {"jira", "linear", "github"},
            "tok-bob": {"linear"},
            "tok-new": {"jira", "linear"},
        }
    )

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def paths(self) -> list[str]:
        return [request.url.path for request in self.requests]

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if self.script:
            scripted = self.script.pop(0)
            if isinstance(scripted, Exception):
                raise scripted
            if isinstance(scripted, httpx.Response):
                return scripted
            return scripted(request)
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.user_links:
            return httpx.Response(401, json=envelope("unauthenticated", "Unknown token."))
        path = request.url.path
        if path == "/api/v1/tracker/issue-search/":
            return self._search(request, token)
        if path == "/api/v1/tracker/mission-origin/bind/":
            return self._bind(request)
        if path == "/api/v1/events/batch/":
            return self._batch(request)
        raise AssertionError(f"unexpected request {request.method} {path}")

    def _search(self, request: httpx.Request, token: str) -> httpx.Response:
        assert request.method == "POST"
        assert request.headers.get("x-team-slug") == "acme"
        assert "idempotency-key" not in request.headers
        body = json.loads(request.content)
        check_against_contract("IssueSearchRequest", body)
        provider, project = body["provider"], body.get("project_slug")
        if provider not in self.user_links[token]:
            return httpx.Response(403, json=example("searchIssues", 403, "missing_user_link"))
        if project == "acme-unmapped":
            return httpx.Response(404, json=example("searchIssues", 404, "no_resource_mapping"))
        catalogue = example(
            "searchIssues", 200, "exact_key" if provider == "jira" else "text_search"
        )
        key, text = body.get("query_key"), body.get("query_text")
        if key is not None:
            if provider == "linear" and not key.split("-")[-1].isdigit():
                return httpx.Response(422, json=example("searchIssues", 422, "invalid_query"))
            hits = [c for c in catalogue["candidates"] if c["external_issue_key"] == key]
            for hit in hits:
                hit["match_type"] = "exact"
        else:
            words = text.lower().split()
            hits = [
                c for c in catalogue["candidates"] if any(w in c["title"].lower() for w in words)
            ]
            for hit in hits:
                hit["match_type"] = "text"
        catalogue["candidates"] = hits[: body.get("limit", 10)]
        catalogue["query_used"] = key if key is not None else text
        return httpx.Response(200, json=catalogue)

    def _bind(self, request: httpx.Request) -> httpx.Response:
        assert request.headers.get("x-team-slug") == "acme"
        key = request.headers.get("idempotency-key")
        assert key is not None, "every write carries an Idempotency-Key"
        body = json.loads(request.content)
        check_against_contract("OriginBindRequest", body)
        if key in self.idempotency:
            stored_body, stored = self.idempotency[key]
            if stored_body != request.content:
                return httpx.Response(422, json=envelope("idempotency_key_reused"))
            return httpx.Response(200, json=stored, headers={"Idempotency-Replayed": "true"})
        existing = self.links.get(body["mission_id"])
        if existing is not None and existing["external_issue_id"] != body["external_issue_id"]:
            conflict = example("bindMissionOrigin", 409, "already_bound")
            conflict["idempotency_key"] = key
            return httpx.Response(409, json=conflict)
        if existing is None:
            link = example("bindMissionOrigin", 200, "bind_new")
            link["origin_link_id"] = f"oln_{body['mission_id']}"
            if body["provider"] == "jira":
                link.update(resource_type="jira_project", resource_id="10042")
            for name in ("mission_id", "mission_slug", "provider", "external_issue_id"):
                link[name] = body[name]
            for name in ("external_issue_key", "external_issue_url", "external_title"):
                link[name] = body[name]
            self.links[body["mission_id"]] = link
            answer = link
        else:
            answer = {**existing, "outcome": "existing"}
        self.idempotency[key] = (request.content, answer)
        return httpx.Response(200, json=answer)

    def _batch(self, request: httpx.Request) -> httpx.Response:
        assert request.headers.get("content-encoding") == "gzip"
        assert request.headers.get("x-spec-kitty-sync-protocol") == "2.0"
        body = json.loads(gzip.decompress(request.content))
        check_against_contract("EventBatchRequest", body)
        results = []
        ids = []
        for event in body["events"]:
            check_against_contract("EventEnvelope", event)
            ids.append(event["event_id"])
            if event["event_id"] in self.events:
                results.append({"event_id": event["event_id"], "status": "duplicate"})
            else:
                self.events[event["event_id"]] = event
                results.append({"event_id": event["event_id"], "status": "accepted"})
        self.event_posts.append(ids)
        return httpx.Response(200, json={"results": results})


def settings(**overrides: Any) -> ClientSettings:
    """Settings of a test client: team acme, token tok-alice, no environment."""
    base: dict[str, Any] = {"team": "acme", "token_provider": StaticTokenProvider("tok-alice")}
    base.update(overrides)
    return ClientSettings.from_env(env={}, **base)


def make_client(
    handler: httpx.BaseTransport | FakeSaaS, clock: FakeClock | None = None, **overrides: Any
) -> SaaSTrackerClient:
    """A client over a fake transport with an instant, recorded clock."""
    clock = clock or FakeClock()
    transport = handler.transport() if isinstance(handler, FakeSaaS) else handler
    return SaaSTrackerClient(
        settings(**overrides),
        transport=transport,
        monotonic=clock.monotonic,
        sleep=clock.sleep,
        random=lambda: 0.5,
        now=clock.now,
    )


def write_config(repo: Any, text: str) -> None:
    """Write `.kittify/config.yaml` of a test repo."""
    (repo / ".kittify").mkdir(parents=True, exist_ok=True)
    (repo / ".kittify" / "config.yaml").write_text(text, encoding="utf-8")


LINEAR_CONFIG = """\
project:
  uuid: 0f3c2b1a-0000-4000-8000-000000000001
  slug: acme-web
tracker:
  provider: linear
  project_slug: acme-web
  display_label: linear / acme-web
"""

JIRA_CONFIG = """\
tracker:
  provider: jira
  project_slug: acme-iam
"""
