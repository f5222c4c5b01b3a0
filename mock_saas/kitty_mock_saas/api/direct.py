"""`DirectRoutes`: the hottest operations served straight behind the contract stage.

FastAPI's way into an endpoint (exception middleware, router and route matching, the included
router's hand-off, request/response wrapping) cost about a sixth of a search's CPU, more than the
contract stage itself. The stage has already matched the operation (`operation_id` in the scope's
state), enforced the limits and validated the request, so for the operations listed here this
layer, just inside the stage, calls the same endpoint function FastAPI would and answers the same
way: an `ApiError` becomes the envelope through the same `error_response`, anything else
propagates to the same server-error handler. The routes stay registered with FastAPI (route
table, in-process clients that skip this layer) and every other request goes through it as before.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from kitty_mock_saas.errors import ApiError, error_response

Endpoint = Callable[[Request], Awaitable[Response]]


class DirectRoutes:
    """Pure ASGI middleware: `endpoints` by operationId, everything else to `app` (FastAPI)."""

    def __init__(self, app: ASGIApp, *, endpoints: Mapping[str, Endpoint]) -> None:
        self.app = app
        self.endpoints = dict(endpoints)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = None
        if scope["type"] == "http":
            state = scope.get("state")
            if state is not None:
                endpoint = self.endpoints.get(state.get("operation_id"))  # set by the stage
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await endpoint(request)
        except ApiError as error:
            # What FastAPI's exception middleware does with it (the handler `create_app` adds).
            response = error_response(request, error)
        await response(scope, receive, send)
