"""The dashboard's HTTP surface, as plain Starlette routes (outside the contract's route table).

- `GET /` the dashboard page; `GET /dashboard/fragments[/{section}]` its sections for polling
- `GET /dashboard/static/{name}` the page's own CSS and JS
- `GET /docs` the API reference of the contract

Read-only, and no credentials shown; writes (faults, reset) stay behind the admin token of
`/__admin/`. The pages show every team's e-mails, links and events, so they answer only a caller
on the loopback interface, or one that sends the admin token (`X-Admin-Token` or bearer), unless
the mock runs with `--dashboard-public` (`KITTY_MOCK_DASHBOARD_PUBLIC=1`). `?sandbox=NAME` shows
a sandbox's state instead of the default one.
"""

from __future__ import annotations

import hmac
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
from .snapshot import take_snapshot

POLL_INTERVAL_MS = 1500
FRAGMENTS_PATH = "/dashboard/fragments"
_STATIC = {"dashboard.css": "text/css", "dashboard.js": "text/javascript"}
_NO_STORE = {"Cache-Control": "no-store"}


def _html(markup: Html, *, cache: bool = False) -> HTMLResponse:
    return HTMLResponse(markup, headers=None if cache else _NO_STORE)


def _dashboard_page(runtime: MockRuntime) -> Html:
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
        render_sections(take_snapshot(runtime)),
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


_LOOPBACK = ("127.", "::1")


def _admin_token(request: Request) -> str | None:
    token = request.headers.get("x-admin-token")
    if token is None:
        scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
        token = bearer.strip() if scheme.lower() == "bearer" else None
    return token


def _visible_runtime(request: Request) -> MockRuntime:
    """The runtime to show, if this caller may see it.

    Raises:
        HTTPException: 403 for a caller off the loopback interface without the admin token.
    """
    runtime: MockRuntime = request.scope["state"].get(RUNTIME) or request.app.state.runtime
    if runtime.settings.dashboard_public:
        return runtime
    host = request.client.host if request.client else ""
    if host.startswith(_LOOPBACK):
        return runtime
    token = _admin_token(request)
    if token is not None and hmac.compare_digest(token, runtime.settings.admin_token):
        return runtime
    raise HTTPException(
        403,
        "The dashboard shows every team's data: it answers callers on 127.0.0.1, or with the "
        "admin token (X-Admin-Token); start the mock with --dashboard-public to open it.",
    )


def dashboard_routes() -> list[Route]:
    """The routes; each request shows the state of its own sandbox."""

    async def page(request: Request) -> Response:
        runtime = _visible_runtime(request)
        return _html(await run_in_threadpool(_dashboard_page, runtime))

    async def fragments(request: Request) -> Response:
        runtime = _visible_runtime(request)
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


def mount_dashboard(app: Starlette) -> None:
    """Add the dashboard and the API reference to the mock's app (plain routes, not API routes)."""
    app.router.routes.extend(dashboard_routes())
