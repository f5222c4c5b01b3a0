"""`tracker-fake --check-contract` lists what is off the provider's contract in each answer, so
a test that drives the fake from another process can hold it to it."""

from __future__ import annotations

import httpx
import pytest
from kitty_contracts import Provider
from kitty_mock_saas.tracker_fakes import TrackerWorld, seed_default_world
from kitty_mock_saas.tracker_fakes.server import _Recorder, create_tracker_fake
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def requests_after(app: object, path: str) -> list[dict[str, object]]:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
        await http.get(path, headers={"Authorization": "Bearer gh-tok-alice"})
        seen: list[dict[str, object]] = (await http.get("/__fake/requests")).json()["requests"]
    return seen


async def test_a_checked_fake_reports_each_answer_status_and_no_problem() -> None:
    seen = await requests_after(
        create_tracker_fake(Provider.github, check_contract=True), "/repos/acme/web/issues/3"
    )
    assert [(e["path"], e["status"], e["contract_problems"]) for e in seen] == [
        ("/repos/acme/web/issues/3", 200, [])
    ]


async def test_an_answer_off_the_contract_is_listed() -> None:
    async def drifted(request: Request) -> JSONResponse:
        return JSONResponse({"login": 7})

    world = TrackerWorld()
    seed_default_world(world)
    app = Starlette(routes=[Route("/user", drifted)])
    seen = await requests_after(
        _Recorder(app, Provider.github, world, check_contract=True), "/user"
    )
    problems = seen[0]["contract_problems"]
    assert isinstance(problems, list)
    assert problems
    assert all(p.startswith("GET /user -> 200") for p in problems)


async def test_an_unchecked_fake_reports_the_status_only() -> None:
    seen = await requests_after(create_tracker_fake(Provider.github), "/repos/acme/web/issues/999")
    assert [(e["status"], "contract_problems" in e) for e in seen] == [(404, False)]
