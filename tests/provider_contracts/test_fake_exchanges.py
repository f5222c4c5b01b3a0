"""The suite-wide check sees every fake exchange, in process and over ASGI, and catches drift."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from kitty_mock_saas.tracker_fakes import TrackerWorld, seed_default_world
from kitty_mock_saas.tracker_fakes.github import create_github_fake
from kitty_mock_saas.tracker_fakes.observe import FakeExchange, ObservedApp, watch_exchanges
from kitty_mock_saas.tracker_fakes.transport import InProcessTransport

from tests.provider_contracts.checks import exchange_problems

pytestmark = pytest.mark.anyio

GITHUB = {"Authorization": "Bearer gh-tok-alice"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def world() -> TrackerWorld:
    fresh = TrackerWorld()
    seed_default_world(fresh)
    return fresh


def without_html_url(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k != "html_url"}


def transports(app: Any) -> list[httpx.AsyncBaseTransport]:
    return [
        InProcessTransport(app, provider="github"),
        httpx.ASGITransport(app=ObservedApp(app, "github", client="connector")),
    ]


async def test_every_exchange_is_seen_with_its_request_and_answer(world: TrackerWorld) -> None:
    seen: list[FakeExchange] = []
    for transport in transports(create_github_fake(world)):
        async with httpx.AsyncClient(
            transport=transport, base_url="https://api.github.com"
        ) as http:
            with watch_exchanges(seen.append):
                await http.patch("/repos/acme/web/issues/3", json={"state": "open"}, headers=GITHUB)
    assert [(e.method, e.path, e.status, e.client) for e in seen] == [
        ("PATCH", "/repos/acme/web/issues/3", 200, "connector")
    ] * 2
    assert all(e.request_body == b'{"state":"open"}' for e in seen)
    assert all(exchange_problems(e) == [] for e in seen)


@pytest.mark.off_contract
async def test_a_drifted_answer_and_an_undefined_parameter_are_caught(
    world: TrackerWorld, provider_contracts: list[str]
) -> None:
    app = create_github_fake(world, payload_hook=without_html_url)
    for transport in transports(app):
        async with httpx.AsyncClient(
            transport=transport, base_url="https://api.github.com"
        ) as http:
            await http.get("/repos/acme/web/issues/3", headers=GITHUB, params={"fields": "x"})
    assert (
        provider_contracts
        == [
            "github: GET /repos/acme/web/issues/3 -> 200 at $: 'html_url' is a required property",
            "github: GET /repos/acme/web/issues/3: query parameter 'fields' is not defined",
        ]
        * 2
    )


async def test_an_observer_sees_nothing_after_its_block(world: TrackerWorld) -> None:
    seen: list[FakeExchange] = []
    with watch_exchanges(seen.append):
        pass
    async with httpx.AsyncClient(
        transport=InProcessTransport(create_github_fake(world), provider="github"),
        base_url="https://api.github.com",
    ) as http:
        await http.get("/repos/acme/web/issues/3", headers=GITHUB)
    assert seen == []
