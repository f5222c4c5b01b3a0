"""Stateful fault injection, shared by every worker through the database.

Kinds: `rate_limit` (429 with Retry-After), `error` (a 5xx), `outage` (503 for the next N
requests), `latency` (added delay) and `async_bind` (binds answer 202 until cleared). Each
applies to the contract's routes only (`/api/`, `/oauth/`); admin and dashboard pages stay reachable.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from kitty_contracts import ErrorCode
from kitty_contracts.error_catalogue import default_code_for_status
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import ApiError, send_api_error
from .ids import ulid, utc_now
from .state import Database, activity

FAULT_KINDS = ("rate_limit", "error", "outage", "latency", "async_bind")
# The contract's routes: faults apply to them and only they are logged (not admin calls, nor
# the dashboard's own polling, which would flood the log).
CONTRACT_PREFIXES = ("/api/", "/oauth/")
_FAILING = ("rate_limit", "error", "outage")


class FaultInjector:
    """Reads and consumes the active faults."""

    def __init__(self, db: Database, *, async_bind_default: bool) -> None:
        self._db = db
        self._async_bind_default = async_bind_default

    def async_bind(self) -> bool:
        if self._async_bind_default:
            return True
        return any(f["kind"] == "async_bind" for f in activity.active_faults(self._db))

    def latency_seconds(self) -> float:
        fault = activity.take_fault(self._db, ("latency",))
        return float(fault.get("ms", 0)) / 1000 if fault else 0.0

    def failure(self) -> ApiError | None:
        """The error the next request must answer with, consuming one use of its fault."""
        fault = activity.take_fault(self._db, _FAILING)
        if fault is None:
            return None
        if fault["kind"] == "rate_limit":
            wait = float(fault.get("retry_after_seconds", 1))
            return ApiError(
                ErrorCode.rate_limited,
                f"Rate limited (injected). Retry in {wait:g} seconds.",
                retry_after_seconds=wait,
                source="provider",
            )
        if fault["kind"] == "outage":
            return ApiError(
                ErrorCode.service_unavailable,
                "The SaaS is unavailable (injected outage). Retry later.",
                retry_after_seconds=fault.get("retry_after_seconds"),
            )
        status = int(fault.get("status", 500))
        return ApiError(
            default_code_for_status(status) or ErrorCode.internal_error,
            f"Injected {status} failure.",
            status=status,
        )


class RequestObserver:
    """Pure ASGI middleware: request ids, injected faults and the request log of contract routes."""

    def __init__(
        self, app: ASGIApp, *, db: Database, faults: FaultInjector, request_log: activity.RequestLog
    ) -> None:
        self.app = app
        self.db = db
        self.faults = faults
        self.request_log = request_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = f"req_{ulid()}"
        status_holder = {"status": 500}

        async def observed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", state["request_id"].encode()))
                message = {**message, "headers": headers}
            await send(message)

        path: str = scope["path"]
        contract_route = path.startswith(CONTRACT_PREFIXES)
        try:
            if contract_route and activity.any_fault(self.db):
                delay = self.faults.latency_seconds()
                if delay:
                    await asyncio.sleep(delay)
                failure = self.faults.failure()
                if failure is not None:
                    await send_api_error(scope, observed_send, failure)
                    return
            await self.app(scope, receive, observed_send)
        finally:
            if contract_route:
                self.request_log.record(
                    activity.LoggedRequest(
                        at=utc_now(),
                        method=scope["method"],
                        path=path,
                        # 499 (nginx's "client closed request"): nobody was answered.
                        status=499 if state.get("client_disconnected") else status_holder["status"],
                        latency_ms=(time.perf_counter() - started) * 1000,
                        error_code=state.get("error_code"),
                        user_id=state.get("user_id"),
                    )
                )
