"""`InProcessTransport`: a connector's HTTP request handed straight to a fake's endpoint.

The mock serves every search through a connector that speaks the provider's real protocol to an
in-process fake. `httpx.ASGITransport` would run each of those requests through a whole ASGI
exchange (a task per request, the Starlette middleware stack, the router, a body stream on each
side). This transport keeps the wire format and drops the machinery: the endpoint gets a
Starlette `Request` over the very bytes httpx encoded (method, URL, headers, body), and the
connector gets an `httpx.Response` over the very bytes the endpoint rendered (status, headers,
body). Anything the route table does not match exactly (a 404, a 405) goes through the full
ASGI app, so those answers stay Starlette's own.
"""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Match, Route
from starlette.types import Message

__all__ = ["InProcessTransport"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


class InProcessTransport(httpx.AsyncBaseTransport):
    """Serves requests with the endpoints of `app` (a fake's Starlette app), in this process.

    Usage::

        app = create_linear_fake(world)
        http = httpx.AsyncClient(transport=InProcessTransport(app))
    """

    def __init__(self, app: Starlette) -> None:
        self.app = app
        self._routes = [route for route in app.routes if isinstance(route, Route)]
        self._fallback = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        body = request.content if isinstance(request.stream, httpx.ByteStream) else None
        if body is None:
            body = await request.aread()
        # The scope ASGITransport would build for the same request.
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "headers": [(name.lower(), value) for name, value in request.headers.raw],
            "scheme": url.scheme,
            "path": url.path,
            "raw_path": url.raw_path.split(b"?")[0],
            "query_string": url.query,
            "server": (url.host, url.port or _DEFAULT_PORTS.get(url.scheme)),
            "client": ("127.0.0.1", 123),
            "root_path": "",
            "app": self.app,
            "state": {},
        }
        route = self._match(scope)
        if route is None:
            return await self._fallback.handle_async_request(request)
        response = await route.endpoint(Request(scope, _once(body)))
        return httpx.Response(
            response.status_code,
            headers=response.raw_headers,
            content=bytes(response.body),
            request=request,
        )

    def _match(self, scope: dict[str, Any]) -> Route | None:
        # The router's rule: the first full match wins; without one (a 404, or a 405 with its
        # Allow header) the app answers itself.
        for route in self._routes:
            match, child = route.matches(scope)
            if match is Match.FULL:
                scope.update(child)
                return route
        return None

    async def aclose(self) -> None:
        await self._fallback.aclose()


def _once(body: bytes) -> Any:
    """An ASGI `receive` that yields the body once, then a disconnect."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
