"""The in-process transport is invisible: connectors send and receive the same bytes over it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import pytest
from kitty_contracts import Provider
from kitty_mock_saas.connectors import AuthenticationFailedError, ConnectorRegistry
from kitty_mock_saas.connectors.registry import ProviderEndpoint
from kitty_mock_saas.tracker_fakes import FAKE_API_URLS, TrackerWorld
from kitty_mock_saas.tracker_fakes.transport import InProcessTransport
from kitty_mock_saas.tracker_fakes.world import seed_default_world

from tests.connectors.conftest import ASGI, FAKE_FACTORIES, IN_PROCESS, FakeClock
from tests.connectors.test_conformance import CASES, Case

pytestmark = pytest.mark.anyio

STILL = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
Wire = tuple[str, str, list[tuple[bytes, bytes]], bytes, int, list[tuple[bytes, bytes]], bytes]


@dataclass
class WireLog:
    exchanges: list[Wire] = field(default_factory=list)


class WireRecorder(httpx.AsyncBaseTransport):
    """Keeps the bytes of each request and answer that cross the transport."""

    def __init__(self, inner: httpx.AsyncBaseTransport, log: WireLog) -> None:
        self.inner, self.log = inner, log

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        sent = await request.aread()
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        self.log.exchanges.append(
            (
                request.method,
                str(request.url),
                list(request.headers.raw),
                sent,
                response.status_code,
                list(response.headers.raw),
                body,
            )
        )
        return httpx.Response(
            response.status_code, headers=response.headers, content=body, request=request
        )


def wire_registry(world: TrackerWorld, kind: str, log: WireLog) -> ConnectorRegistry:
    """Connectors over the fakes, as `EmbeddedFakes` wires them or over ASGI."""
    endpoints = {}
    for provider, factory in FAKE_FACTORIES.items():
        app = factory(world)
        inner: httpx.AsyncBaseTransport = (
            InProcessTransport(app) if kind == IN_PROCESS else httpx.ASGITransport(app=app)
        )
        transport = WireRecorder(inner, log)
        endpoints[provider] = ProviderEndpoint(
            FAKE_API_URLS[provider],
            httpx.AsyncClient(transport=transport),
            in_process=transport if kind == IN_PROCESS else None,
        )
    return ConnectorRegistry(endpoints, clock=FakeClock())


async def conversation(case: Case, kind: str) -> list[Wire]:
    """Everything a connector does against its fake, in a fresh world: the bytes of it (the
    world's clock stands still, so both runs stamp their writes alike)."""
    world = TrackerWorld(clock=lambda: STILL)
    seed_default_world(world)
    log = WireLog()
    registry = wire_registry(world, kind, log)
    connector = registry.connector(case.provider, case.container.ref(), case.token)
    await connector.search_by_key(case.exact_key)
    await connector.search_by_key(case.missing_key)
    await connector.search_by_key(case.foreign_key)
    page = await connector.search_text(case.text, limit=1)
    if page.next_cursor is not None:
        await connector.search_text(case.text, limit=1, cursor=page.next_cursor)
    await connector.fetch_issue(case.exact_key)
    for status in sorted(case.writable, key=lambda s: s.value):
        await connector.sync_wp_status_to_issue(case.exact_key, status)
    stranger = registry.connector(case.provider, case.container.ref(), "not-a-known-token")
    with pytest.raises(AuthenticationFailedError):
        await stranger.search_text(case.text)
    await registry.aclose()
    world.close()
    return log.exchanges


@pytest.mark.parametrize("case", CASES, ids=[case.provider.value for case in CASES])
async def test_connectors_exchange_the_same_bytes_in_process_as_over_asgi(case: Case) -> None:
    over_asgi = await conversation(case, ASGI)
    in_process = await conversation(case, IN_PROCESS)
    assert len(over_asgi) >= 6
    assert in_process == over_asgi


@pytest.mark.parametrize(
    ("provider", "method", "path"),
    [
        (Provider.jira, "GET", "/rest/api/3/no-such-resource"),
        (Provider.jira, "DELETE", "/rest/api/3/search/jql"),
        (Provider.linear, "GET", "/graphql"),
        (Provider.github, "GET", "/no/such/route"),
    ],
)
async def test_unrouted_requests_get_the_apps_own_answer(
    seeded_world: TrackerWorld, provider: Provider, method: str, path: str
) -> None:
    app = FAKE_FACTORIES[provider](seeded_world)
    request = httpx.Request(method, f"https://fake.example{path}")
    direct = await InProcessTransport(app).handle_async_request(request)
    asgi = await httpx.ASGITransport(app=app).handle_async_request(request)
    assert direct.status_code in (404, 405)
    assert (direct.status_code, direct.headers.raw, await direct.aread()) == (
        asgi.status_code,
        asgi.headers.raw,
        await asgi.aread(),
    )


async def test_each_query_string_and_address_gets_its_own_answer(
    seeded_world: TrackerWorld,
) -> None:
    """Parsed query strings and the fake's site are remembered: never one request's for another."""
    transport = InProcessTransport(FAKE_FACTORIES[Provider.jira](seeded_world))
    auth = {"Authorization": "Bearer jira-tok-alice"}
    seen = []
    for site, fields in [
        ("https://acme.atlassian.net", "summary"),
        ("https://acme.atlassian.net", "status,labels"),
        ("http://127.0.0.1:9001", "summary"),
        ("https://acme.atlassian.net", "summary"),
    ]:
        url = httpx.URL(f"{site}/rest/api/3/issue/IAM-42", params={"fields": fields})
        answer = await transport.handle_async_request(httpx.Request("GET", url, headers=auth))
        body = answer.json()
        seen.append((body["self"].split("/rest/")[0], sorted(body["fields"])))
    assert seen == [
        ("https://acme.atlassian.net", ["summary"]),
        ("https://acme.atlassian.net", ["labels", "status"]),
        ("http://127.0.0.1:9001", ["summary"]),
        ("https://acme.atlassian.net", ["summary"]),
    ]
