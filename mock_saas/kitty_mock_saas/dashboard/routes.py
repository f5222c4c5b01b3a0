"""The dashboard's HTTP surface, as plain Starlette routes (outside the contract's route table).

- `GET /` the dashboard page; `GET /dashboard/fragments[/{section}]` its sections for polling
- `GET /dashboard/static/{name}` the page's own CSS and JS
- `GET /docs` the API reference of the contract

No token: the pages are read-only, show no credentials, and the mock binds to 127.0.0.1 unless
told otherwise. Writes (faults, reset) stay behind the admin token of `/__admin/`.
"""

from __future__ import annotations

from importlib.resources import files

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from kitty_mock_saas.runtime import MockRuntime

from .apiref import contract_reference
from .html import Html, tag
from .page import render_page
from .sections import SECTIONS, render_sections
from .snapshot import take_snapshot

POLL_INTERVAL_MS = 1500
FRAGMENTS_PATH = "/dashboard/fragments"
_STATIC = {"dashboard.css": "text/css", "dashboard.js": "text/javascript"}
_NO_STORE = {"Cache-Control": "no-store"}


def _html(markup: Html, *, cache: bool = False) -> HTMLResponse:
    return HTMLResponse(markup, headers=None if cache else _NO_STORE)


def _dashboard_page(runtime: MockRuntime) -> Html:
    live = tag(
        "div",
        tag("span", "", class_="dot"),
        tag("span", "live", class_="live-label"),
        tag("span", "", class_="live-time"),
        id="live",
        class_="live",
        title="The page refreshes itself; no reload needed.",
    )
    main = tag(
        "main",
        render_sections(take_snapshot(runtime)),
        id="dashboard",
        data_poll=FRAGMENTS_PATH,
        data_interval=POLL_INTERVAL_MS,
    )
    return render_page(
        title="Spec Kitty SaaS mock — dashboard",
        active="/",
        body=main,
        scripts=("dashboard.js",),
        status=live,
    )


def dashboard_routes(runtime: MockRuntime) -> list[Route]:
    """The routes, bound to one mock's runtime."""

    async def page(_: Request) -> Response:
        return _html(await run_in_threadpool(_dashboard_page, runtime))

    async def fragments(request: Request) -> Response:
        section = request.path_params.get("section")
        if section is not None and section not in SECTIONS:
            raise HTTPException(404, f"No dashboard section {section!r}.")
        names = list(SECTIONS) if section is None else [section]
        snapshot = await run_in_threadpool(take_snapshot, runtime)
        return _html(render_sections(snapshot, names))

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _STATIC:
            raise HTTPException(404, f"No dashboard asset {name!r}.")
        body = (files(__package__) / "static" / name).read_bytes()
        return Response(body, media_type=_STATIC[name], headers={"Cache-Control": "no-cache"})

    async def docs(_: Request) -> Response:
        return _html(await run_in_threadpool(contract_reference), cache=True)

    return [
        Route("/", page, methods=["GET"], name="dashboard"),
        Route(FRAGMENTS_PATH, fragments, methods=["GET"], name="dashboard-fragments"),
        Route(f"{FRAGMENTS_PATH}/{{section}}", fragments, methods=["GET"]),
        Route("/dashboard/static/{name}", static, methods=["GET"], name="dashboard-static"),
        Route("/docs", docs, methods=["GET"], name="api-reference"),
    ]


def mount_dashboard(app: Starlette, runtime: MockRuntime) -> None:
    """Add the dashboard and the API reference to the mock's app (plain routes, not API routes)."""
    app.router.routes.extend(dashboard_routes(runtime))
