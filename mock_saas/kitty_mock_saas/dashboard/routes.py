"""The dashboard's HTTP surface, as plain Starlette routes (outside the contract's route table).

- `GET /` the dashboard page; `GET /dashboard/fragments[/{section}]` its sections for polling
- `GET /dashboard/static/{name}` the page's own CSS and JS
- `GET /docs` the API reference of the contract

Read-only, and no credentials shown; writes (faults, reset) stay behind the admin token of
`/__admin/`. Which host names it answers to and who sees which team's data is `visibility`'s
decision; `?sandbox=NAME` shows a
sandbox's state instead of the default one.
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
from kitty_mock_saas.sandboxes import RUNTIME

from .apiref import contract_reference
from .html import Html, tag
from .page import render_page
from .sections import SECTIONS, render_sections
from .snapshot import DashboardSnapshot, take_snapshot
from .visibility import check_host, narrowed, viewer_of

POLL_INTERVAL_MS = 1500
FRAGMENTS_PATH = "/dashboard/fragments"
_STATIC = {"dashboard.css": "text/css", "dashboard.js": "text/javascript"}
_NO_STORE = {"Cache-Control": "no-store"}


def _html(markup: Html, *, cache: bool = False) -> HTMLResponse:
    return HTMLResponse(markup, headers=None if cache else _NO_STORE)


def _dashboard_page(runtime: MockRuntime, snapshot: DashboardSnapshot) -> Html:
    poll = (
        FRAGMENTS_PATH if runtime.sandbox is None else f"{FRAGMENTS_PATH}?sandbox={runtime.sandbox}"
    )
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
        render_sections(snapshot),
        id="dashboard",
        data_poll=poll,
        data_interval=POLL_INTERVAL_MS,
    )
    return render_page(
        title="Spec Kitty SaaS mock — dashboard",
        active="/",
        body=main,
        scripts=("dashboard.js",),
        status=live,
    )


def _runtime(request: Request) -> MockRuntime:
    runtime: MockRuntime = request.scope["state"].get(RUNTIME) or request.app.state.runtime
    return runtime


async def _visible_snapshot(request: Request) -> tuple[MockRuntime, DashboardSnapshot]:
    """The request's sandbox, read and narrowed to what the caller may see (403 otherwise)."""
    runtime = _runtime(request)
    viewer = viewer_of(request, runtime)
    snapshot = await run_in_threadpool(take_snapshot, runtime)
    return runtime, await narrowed(snapshot, viewer, runtime)


def dashboard_routes() -> list[Route]:
    """The routes; each request shows the state of its own sandbox."""

    async def page(request: Request) -> Response:
        runtime, snapshot = await _visible_snapshot(request)
        return _html(_dashboard_page(runtime, snapshot))

    async def fragments(request: Request) -> Response:
        section = request.path_params.get("section")
        if section is not None and section not in SECTIONS:
            raise HTTPException(404, f"No dashboard section {section!r}.")
        names = list(SECTIONS) if section is None else [section]
        _, snapshot = await _visible_snapshot(request)
        return _html(render_sections(snapshot, names))

    async def static(request: Request) -> Response:
        check_host(request, _runtime(request))
        name = request.path_params["name"]
        if name not in _STATIC:
            raise HTTPException(404, f"No dashboard asset {name!r}.")
        body = (files(__package__) / "static" / name).read_bytes()
        return Response(body, media_type=_STATIC[name], headers={"Cache-Control": "no-cache"})

    async def docs(request: Request) -> Response:
        check_host(request, _runtime(request))
        return _html(await run_in_threadpool(contract_reference), cache=True)

    return [
        Route("/", page, methods=["GET"], name="dashboard"),
        Route(FRAGMENTS_PATH, fragments, methods=["GET"], name="dashboard-fragments"),
        Route(f"{FRAGMENTS_PATH}/{{section}}", fragments, methods=["GET"]),
        Route("/dashboard/static/{name}", static, methods=["GET"], name="dashboard-static"),
        Route("/docs", docs, methods=["GET"], name="api-reference"),
    ]


def mount_dashboard(app: Starlette) -> None:
    """Add the dashboard and the API reference to the mock's app (plain routes, not API routes)."""
    app.router.routes.extend(dashboard_routes())
