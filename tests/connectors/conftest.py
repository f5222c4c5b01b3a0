"""Fixtures for the connector tests: a seeded world, a recording registry, an instant clock."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from kitty_contracts import Provider
from kitty_mock_saas.connectors import ConnectorRegistry
from kitty_mock_saas.connectors.registry import ProviderEndpoint
from kitty_mock_saas.connectors.retry import RetryPolicy
from kitty_mock_saas.tracker_fakes import FAKE_API_URLS, FakeFaults, TrackerWorld
from kitty_mock_saas.tracker_fakes._common import PayloadHook
from kitty_mock_saas.tracker_fakes.github import create_github_fake
from kitty_mock_saas.tracker_fakes.jira import create_jira_fake
from kitty_mock_saas.tracker_fakes.linear import create_linear_fake
from kitty_mock_saas.tracker_fakes.observe import ObservedApp
from kitty_mock_saas.tracker_fakes.transport import InProcessTransport
from kitty_mock_saas.tracker_fakes.world import seed_default_world


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class FakeClock:
    """A clock whose sleeps only advance time, so retry tests are instant and exact."""

    def __init__(self) -> None:
        self.elapsed = 0.0
        self.sleeps: list[float] = []
        # Wall time starts now: the fakes stamp reset headers with the real clock.
        self.start = datetime.now(UTC)

    def monotonic(self) -> float:
        return self.elapsed

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.elapsed += seconds

    def random(self) -> float:
        return 0.5


@dataclass
class Exchange:
    """One request a connector sent and the JSON the fake answered."""

    provider: Provider
    method: str
    path: str
    request_json: Any
    status: int
    response_json: Any


@dataclass
class Recorder:
    exchanges: list[Exchange] = field(default_factory=list)


class RecordingTransport(httpx.AsyncBaseTransport):
    """Wraps a fake's transport and keeps every exchange for schema checks."""

    def __init__(
        self, provider: Provider, inner: httpx.AsyncBaseTransport, recorder: Recorder
    ) -> None:
        self.provider, self.inner, self.recorder = provider, inner, recorder

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        sent = json.loads(request.content) if request.content else None
        try:
            answered = json.loads(body) if body else None
        except ValueError:
            answered = None
        self.recorder.exchanges.append(
            Exchange(
                self.provider,
                request.method,
                request.url.path,
                sent,
                response.status_code,
                answered,
            )
        )
        return httpx.Response(
            response.status_code, headers=response.headers, content=body, request=request
        )


FAKE_FACTORIES = {
    Provider.jira: create_jira_fake,
    Provider.linear: create_linear_fake,
    Provider.github: create_github_fake,
}


# How connectors reach the fakes: the mock's own in-process transport (called directly, as
# `EmbeddedFakes` does), or Starlette's full ASGI exchange through the client.
IN_PROCESS = "in-process"
ASGI = "asgi"


def build_registry(
    world: TrackerWorld,
    *,
    recorder: Recorder | None = None,
    clock: FakeClock | None = None,
    policy: RetryPolicy | None = None,
    payload_hook: PayloadHook | None = None,
    transport_kind: str = IN_PROCESS,
    faults: dict[Provider, FakeFaults] | None = None,
) -> ConnectorRegistry:
    """Like `EmbeddedFakes.registry`, with recording transports and an injected clock; `faults`
    are the fakes' switches (fresh ones when None)."""
    faults = (
        faults if faults is not None else {provider: FakeFaults() for provider in FAKE_FACTORIES}
    )
    endpoints = {}
    for provider, factory in FAKE_FACTORIES.items():
        app = factory(world, faults=faults[provider], payload_hook=payload_hook)
        transport: httpx.AsyncBaseTransport = (
            InProcessTransport(app, provider=provider.value)
            if transport_kind == IN_PROCESS
            else httpx.ASGITransport(app=ObservedApp(app, provider.value, client="connector"))
        )
        if recorder is not None:
            transport = RecordingTransport(provider, transport, recorder)
        endpoints[provider] = ProviderEndpoint(
            FAKE_API_URLS[provider],
            httpx.AsyncClient(transport=transport),
            in_process=transport if transport_kind == IN_PROCESS else None,
        )
    return ConnectorRegistry(
        endpoints,
        clock=clock or FakeClock(),
        policy=policy,
        containers=lambda provider, key: (
            found.ref() if (found := world.container(provider, key=key)) else None
        ),
    )


@pytest.fixture(scope="session")
def seeded_world(session_world_location: str) -> Iterator[TrackerWorld]:
    """The default world, shared read-only by tests that do not write."""
    world = TrackerWorld(session_world_location)
    seed_default_world(world)
    yield world
    world.close()


@pytest.fixture
def world(default_world: TrackerWorld) -> TrackerWorld:
    """A fresh default world a test may change (on each backend)."""
    return default_world


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def faults() -> dict[Provider, FakeFaults]:
    """The fault switches of the `registry` fixture's fakes."""
    return {provider: FakeFaults() for provider in FAKE_FACTORIES}


@pytest.fixture(params=[IN_PROCESS, ASGI])
async def registry(
    request: pytest.FixtureRequest,
    world: TrackerWorld,
    recorder: Recorder,
    clock: FakeClock,
    faults: dict[Provider, FakeFaults],
) -> AsyncIterator[ConnectorRegistry]:
    """The conformance suite runs over both transports: they must be indistinguishable."""
    built = build_registry(
        world, recorder=recorder, clock=clock, transport_kind=request.param, faults=faults
    )
    yield built
    await built.aclose()


def provider_schema(shared: Path, relative: str) -> Draft202012Validator:
    """A validator of one official provider schema, read in place from ../shared."""
    schema = json.loads((shared / "provider-schemas" / relative).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
