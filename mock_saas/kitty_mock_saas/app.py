"""`create_app(settings)`: the mock SaaS as a FastAPI app. No state exists before this is called."""

from __future__ import annotations

import contextlib
import random as _random
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from kitty_contracts.validation import openapi_document
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import errors
from .admin_auth import AdminTokenGuard
from .api.direct import DirectRoutes
from .api.routes import admin, auth, events, origin_status, origins, spec_drafts, tracker
from .dashboard import mount_dashboard
from .faults import FaultInjector
from .fixtures import load_fixtures
from .observer import RequestObserver
from .replay import Replay, load_recording
from .runtime import MockRuntime
from .sandboxes import SandboxRegistry, SandboxRouter
from .settings import MockSettings
from .stage import ContractStage, contract_operations
from .state import directory, open_state
from .state.journal import RequestLog
from .store import StoreUnavailable
from .trackers import Trackers
from .world import build_trackers


def create_app(
    settings: MockSettings | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
    wall_clock: Callable[[], float] = time.time,
    random: Callable[[], float] = _random.random,
) -> FastAPI:
    """A seeded mock: state in `settings.database_url` (PostgreSQL) or else `settings.state_path`
    (SQLite), its pending migrations applied; fixtures from `settings.fixtures_path`.

    `clock` (monotonic seconds) paces the admin token guard; `wall_clock` (seconds since the
    epoch: what worker processes and replicas on other hosts agree on) times sandbox expiry;
    `random` draws latency jitter.
    """
    settings = settings or MockSettings()
    # A damaged recording is refused before any state is opened.
    recorded = Replay(load_recording(settings.replay_dir)) if settings.replay_dir else None
    fixtures = load_fixtures(settings.fixtures_path)
    db = open_state(settings.state_path, database_url=settings.database_url)
    directory.seed(db, fixtures)
    trackers: Trackers = build_trackers(settings, fixtures, db)
    runtime = MockRuntime(
        settings=settings,
        fixtures=fixtures,
        db=db,
        trackers=trackers,
        faults=FaultInjector(db, async_bind_default=settings.async_bind, random=random),
        request_log=RequestLog(db, keep=settings.request_log_size),
    )
    sandboxes = SandboxRegistry(
        runtime,
        idle_ttl_seconds=settings.sandbox_idle_ttl_seconds,
        max_sandboxes=settings.max_sandboxes,
        clock=wall_clock,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        # The database down: the journal lines not written yet are lost, nothing else.
        with contextlib.suppress(StoreUnavailable):
            runtime.request_log.flush()
        with contextlib.suppress(StoreUnavailable):
            sandboxes.close()
        await trackers.aclose()

    app = FastAPI(
        title="Spec Kitty SaaS (mock)",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    # One guard for every sandbox: a new sandbox is no fresh allowance of token guesses.
    app.state.admin_guard = AdminTokenGuard(
        settings.admin_token,
        burst=settings.admin_auth_failures_burst,
        per_second=settings.admin_auth_failures_per_second,
        clock=clock,
    )
    app.state.sandboxes = sandboxes

    def contract() -> dict[str, Any]:
        # The contract, verbatim: FastAPI's own document would drop envelopes, links and examples.
        return openapi_document()

    app.openapi = contract  # type: ignore[method-assign]
    app.add_exception_handler(errors.ApiError, errors.handle_api_error)
    app.add_exception_handler(RequestValidationError, errors.handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, errors.handle_http_exception)
    app.add_exception_handler(Exception, errors.handle_unexpected)
    app.include_router(tracker.router)
    app.include_router(origins.router)
    app.include_router(origin_status.router)
    app.include_router(spec_drafts.router)
    app.include_router(events.router)
    app.include_router(auth.router)
    app.include_router(admin.router)
    app.include_router(admin.public_router)
    mount_dashboard(app)
    # Just inside the stage: the search answers without FastAPI's routing (see api/direct.py).
    app.add_middleware(DirectRoutes, endpoints={"searchIssues": tracker.search_issues})
    # A recording (`--replay`) answers inside the stage, behind the same gate as live answers.
    app.add_middleware(
        ContractStage,
        table=contract_operations(),
        body_timeout_seconds=settings.body_timeout_seconds,
        validate_responses=settings.validate_responses,
        recorded=recorded,
    )
    # Request ids, injected faults and the journal see every request, of its sandbox.
    app.add_middleware(RequestObserver)
    # Outermost: which sandbox (runtime) the request acts on.
    app.add_middleware(SandboxRouter, registry=sandboxes)
    return app
