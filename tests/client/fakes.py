"""Test doubles for the client suite: a fake clock, and the real mock SaaS behind a scriptable,
recording transport (the mock's contract stage checks every request and answer).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi.testclient import TestClient
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings
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


Scripted = Callable[[httpx.Request], httpx.Response] | httpx.Response | Exception
ADMIN = {"X-Admin-Token": "admin-secret"}
EVENTS_PATH = "/api/v1/events/batch/"


@dataclass
class FakeSaaS:
    """The real mock SaaS, in-process, behind a transport that records every request.

    Only what the mock cannot be asked to do is scripted here: `script` answers the next
    requests first (a response, a function of the request, or an exception to raise) and `down`
    refuses connections. Everything else is the mock's own answer, so the client suite is never
    judged by a fake more lenient than the SaaS it stands for.
    """

    script: list[Scripted] = field(default_factory=list)
    down: bool = False
    requests: list[httpx.Request] = field(default_factory=list)
    forwarded: list[httpx.Request] = field(default_factory=list)
    mock: TestClient = field(default_factory=lambda: TestClient(create_app(MockSettings())))

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
        return self.forward(request)

    def forward(self, request: httpx.Request) -> httpx.Response:
        """The mock's answer to `request`."""
        self.forwarded.append(request)
        answer = self.mock.send(request)
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    @property
    def events(self) -> dict[str, dict[str, Any]]:
        """The events the mock stored, by id."""
        listed = self.mock.get("/__admin/events", headers=ADMIN, params={"limit": 1000}).json()
        return {item["event"]["event_id"]: item["event"] for item in listed["events"]}

    @property
    def event_posts(self) -> list[list[str]]:
        """The event ids of each batch that reached the mock, in order."""
        return [
            [event["event_id"] for event in json.loads(gzip.decompress(r.content))["events"]]
            for r in self.forwarded
            if r.url.path == EVENTS_PATH
        ]

    def origin_links(self) -> list[dict[str, Any]]:
        """The origin links the mock stored, newest first."""
        return list(self.mock.get("/__admin/origin-links", headers=ADMIN).json()["origin_links"])


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
