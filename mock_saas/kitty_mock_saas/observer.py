"""`RequestObserver`: request ids, injected faults and the journal of the contract's routes.

Outermost ASGI middleware but one (the sandbox router picks the runtime first): faults act before
the contract stage and FastAPI, so they can answer, delay, or break the connection themselves.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from kitty_contracts import ErrorCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import MOCK_HINT_HEADER, ApiError, send_api_error
from .faults import CONTRACT_PREFIXES, WIRE_FAULTS
from .ids import ulid
from .prefer import parse_prefer
from .read_memo import request_scope
from .request_log import log_request
from .runtime import MockRuntime
from .sandboxes import RUNTIME
from .stage import CONTRACT_BODY, contract_operations
from .state import directory
from .state.journal import LoggedRequest
from .wire_faults import apply_wire_fault

# Status journalled for a request that got no status line at all (reset, empty response).
NO_ANSWER = 0
MOCK_HINT = MOCK_HINT_HEADER.lower().encode()
_REDIRECT_HINT = b"mock: the contract's paths end with a slash; follow Location (curl -L)"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _user_of(runtime: MockRuntime, scope: Scope) -> str | None:
    scheme, _, token = (_header(scope, b"authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    user = directory.user_by_token(runtime.db, token.strip())
    return user.id if user else None


def prefer_fault(scope: Scope) -> dict[str, Any] | None:
    """`Prefer: fault=connection_reset` (with `bytes_per_second=`, `ms=`, `jitter_ms=`).

    Raises:
        ApiError: an unknown fault kind or a parameter that is not a whole number.
    """
    preferences = parse_prefer(_header(scope, b"prefer"))
    kind = preferences.get("fault")
    if kind is None:
        return None
    if kind not in (*WIRE_FAULTS, "latency"):
        raise ApiError(
            ErrorCode.malformed_request,
            f"Prefer fault={kind!r} is none of {', '.join((*WIRE_FAULTS, 'latency'))}.",
            details=[("header.Prefer", "unknown fault")],
        )
    fault: dict[str, Any] = {"kind": kind}
    for name in ("bytes_per_second", "ms", "jitter_ms"):
        value = preferences.get(name)
        if value is not None:
            if not (value.isascii() and value.isdigit() and 0 < len(value) <= 7):
                raise ApiError(
                    ErrorCode.malformed_request,
                    f"Prefer {name}={value!r} is not a whole number below 10,000,000.",
                    details=[("header.Prefer", "not a whole number")],
                )
            fault[name] = int(value)
    return fault


class RequestObserver:
    """Pure ASGI middleware over the runtime the sandbox router put into `scope["state"]`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.operations = contract_operations()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # The request's reads ask SQLite once per database whether another process wrote.
        with request_scope():
            await self._observe(scope, receive, send)

    async def _observe(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = f"req_{ulid()}"
        runtime: MockRuntime = state[RUNTIME]
        status_holder = {"status": NO_ANSWER}

        async def observed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", state["request_id"].encode()))
                if message["status"] in (307, 308):  # an empty redirect says nothing to curl
                    headers.append((MOCK_HINT, _REDIRECT_HINT))
                message = {**message, "headers": headers}
            await send(message)

        path: str = scope["path"]
        if not path.startswith(CONTRACT_PREFIXES):
            try:
                await self.app(scope, receive, observed_send)
            finally:
                if runtime.settings.log_requests:
                    log_request(scope, status_holder["status"], started, runtime.sandbox)
            return
        route = self.operations.route(scope["method"], path)
        operation = route.operation.operation_id if route and route.operation else None
        user: str | None = None
        try:
            await self._serve(runtime, operation, scope, receive, observed_send)
        finally:
            user = state.get("user_id") or _user_of(runtime, scope)
            runtime.request_log.record(
                LoggedRequest(
                    at=time.time(),
                    method=scope["method"],
                    path=path,
                    # 499 (nginx's "client closed request"): nobody was answered.
                    status=499 if state.get("client_disconnected") else status_holder["status"],
                    latency_ms=(time.perf_counter() - started) * 1000,
                    error_code=state.get("error_code"),
                    user_id=user,
                    operation_id=operation,
                    headers=tuple(scope["headers"]),  # formatted and redacted when flushed
                    body=state.get(CONTRACT_BODY),
                )
            )
            if runtime.settings.log_requests:
                log_request(scope, status_holder["status"], started, runtime.sandbox)

    async def _serve(
        self,
        runtime: MockRuntime,
        operation: str | None,
        scope: Scope,
        receive: Receive,
        send: Send,
    ) -> None:
        try:
            fault = prefer_fault(scope)
        except ApiError as error:
            await send_api_error(scope, send, error)
            return
        if fault is None and runtime.faults.any():
            user = _user_of(runtime, scope)
            delay = runtime.faults.latency_seconds(operation, user)
            if delay:
                await asyncio.sleep(delay)
            failure = runtime.faults.failure(operation, user)
            if failure is not None:
                await send_api_error(scope, send, failure)
                return
            fault = runtime.faults.wire_fault(operation, user)
        elif fault is not None and fault["kind"] == "latency":
            await asyncio.sleep(runtime.faults.delay_of(fault))
            fault = None
        if fault is None:
            await self.app(scope, receive, send)
            return
        await apply_wire_fault(fault, self.app, scope, receive, send)
