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

import functools
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.routing import Match, Route
from starlette.types import Message

from .observe import FakeExchange, ObservedApp, query_pairs, report, watched

__all__ = ["InProcessTransport"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


class InProcessTransport(httpx.AsyncBaseTransport):
    """Serves requests with the endpoints of `app` (a fake's Starlette app), in this process.

    Usage::

        app = create_linear_fake(world)
        http = httpx.AsyncClient(transport=InProcessTransport(app))
    """

    def __init__(self, app: Starlette, *, provider: str | None = None) -> None:
        self.app = app
        # Named, the fake's exchanges are reported to whoever watches (`observe`).
        self.provider = provider
        self._routes = [route for route in app.routes if isinstance(route, Route)]
        served = ObservedApp(app, provider, client="connector") if provider else app
        self._fallback = httpx.ASGITransport(app=served)

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
        response = await route.endpoint(_Request(scope, _once(body)))
        if self.provider is not None and watched():
            report(
                FakeExchange(
                    provider=self.provider,
                    client="connector",
                    method=request.method,
                    path=url.path,
                    query=query_pairs(url.query),
                    request_content_type=request.headers.get("content-type"),
                    request_body=body,
                    status=response.status_code,
                    content_type=response.headers.get("content-type"),
                    body=bytes(response.body),
                )
            )
        return httpx.Response(
            response.status_code,
            headers=response.raw_headers,
            content=bytes(response.body),
            request=request,
        )

    def _match(self, scope: dict[str, Any]) -> Route | None:
        # The router's rule: the first full match wins; without one (a 404, or a 405 with its
        # Allow header) the app answers itself.
        # A route's own pattern first (the scope has no root path, so the path is the route
        # path): `matches` costs more, and only one or two routes fit it.
        path = scope["path"]
        for route in self._routes:
            if route.path_regex.match(path) is None:
                continue
            match, child = route.matches(scope)
            if match is Match.FULL:
                scope.update(child)
                return route
        return None

    async def aclose(self) -> None:
        await self._fallback.aclose()


class _Request(Request):
    """A Starlette request whose query string is parsed once per distinct string: a connector
    sends the same few again and again (a key lookup's `fields`), and parsing one costs about
    as much as decoding the answer's JSON."""

    @property
    def query_params(self) -> QueryParams:
        return _query_params(self.scope["query_string"])


@functools.lru_cache(maxsize=256)
def _query_params(raw: bytes) -> QueryParams:
    return QueryParams(raw)  # immutable, so one parse serves every request that sends it


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
