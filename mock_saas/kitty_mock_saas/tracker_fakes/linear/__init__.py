"""A fake Linear GraphQL API: Linear's own schema, executed over the tracker world.

`POST /graphql` takes `{query, variables, operationName}` as Linear does. The schema is the
committed subset of Linear's SDL (`kitty_mock_saas.provider_contracts`), so any document valid
against Linear for the served root fields is valid here, and any other is refused with Linear's
validation errors. Fields the world models answer from it; every other field answers a
schema-correct default (`defaults`). Credentials: a personal API key sent verbatim or an
OAuth token as Bearer; errors, rate limiting included, may arrive with HTTP 200.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kitty_mock_saas.provider_contracts.sdl import linear_schema
from kitty_mock_saas.tracker_fakes._common import FakeFaults, Json, PayloadHook, request_token
from kitty_mock_saas.tracker_fakes.world.store import TrackerWorld

from .context import PROVIDER, LinearContext
from .errors import error_entry
from .execute import is_read, run_document
from .mutations import MUTATION_FIELDS
from .queries import QUERY_FIELDS

__all__ = ["create_linear_fake"]

_ROOTS = {"query": QUERY_FIELDS, "mutation": MUTATION_FIELDS}
_AUTHENTICATION = {
    "type": "authentication error",
    "code": "AUTHENTICATION_ERROR",
    "statusCode": 401,
    "userError": True,
    "userPresentableMessage": "You need to authenticate to access this operation.",
}


def create_linear_fake(
    world: TrackerWorld,
    *,
    faults: FakeFaults | None = None,
    payload_hook: PayloadHook | None = None,
) -> Starlette:
    """The fake Linear API as an ASGI app; `faults` switches misbehaviour at run time.

    `payload_hook(operation name, answer)` may rewrite an answer (tests simulate a provider
    that drifted from its schema).
    """
    fake = _LinearFake(world, faults or FakeFaults(), payload_hook)
    app = Starlette(routes=[Route("/graphql", fake.graphql, methods=["POST"])])
    app.state.faults = fake.faults
    return app


def _errors(
    status: int,
    message: str,
    extensions: Json,
    headers: dict[str, str] | None = None,
    *,
    data: bool = False,
) -> JSONResponse:
    body: Json = {"errors": [error_entry(message, extensions)]}
    if data:
        body["data"] = None
    return JSONResponse(body, status_code=status, headers=headers)


@dataclass(frozen=True, slots=True)
class _Request:
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: bytes
    reusable: bool


class _LinearFake:
    def __init__(
        self, world: TrackerWorld, faults: FakeFaults, payload_hook: PayloadHook | None
    ) -> None:
        self.world, self.faults, self.hook = world, faults, payload_hook
        self.schema = linear_schema()

    async def graphql(self, request: Request) -> Response:
        failure = self.faults.next_failure()
        if failure is not None:
            internal = {"type": "internal error", "code": "INTERNAL_SERVER_ERROR"}
            return _errors(failure, "Injected failure", internal)
        if self.faults.take_rate_limit():
            return self._rate_limited()
        token = request_token(request)
        account = self.world.account_for_token(PROVIDER, token) if token else None
        if account is None:
            return _errors(401, "Authentication required, not authenticated", _AUTHENTICATION)
        raw = await request.body()
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            bad = {"type": "graphql error", "code": "BAD_REQUEST", "userError": True}
            return _errors(400, "Must provide a query string in a JSON body.", bad)
        variables = body.get("variables")
        name = body.get("operationName")
        request_ = _Request(
            body["query"],
            variables if isinstance(variables, dict) else None,
            name if isinstance(name, str) else None,
        )
        if self.hook is None and is_read(self.schema, request_.query, request_.operation_name):
            # A read answers the same until the world changes: remembered with the world's own
            # reads (`_remembered` forgets everything at any commit, by any process).
            remembered = self.world._remembered(
                ("linear-answer", account, raw), lambda: self._answer(account, request_)
            )
            answer = remembered if remembered.reusable else self._answer(account, request_)
            return Response(answer.body, answer.status, media_type="application/json")
        context = LinearContext(self.world, account, self.schema)
        status, payload, operation = run_document(
            self.schema,
            request_.query,
            request_.variables,
            request_.operation_name,
            roots=_ROOTS,
            context=context,
        )
        if self.hook is not None and operation is not None:
            payload = self.hook(operation.name.value if operation.name else "anonymous", payload)
        return JSONResponse(payload, status_code=status)

    def _answer(self, account: str, request: _Request) -> _Answer:
        context = LinearContext(self.world, account, self.schema)
        status, payload, _ = run_document(
            self.schema,
            request.query,
            request.variables,
            request.operation_name,
            roots=_ROOTS,
            context=context,
        )
        body = JSONResponse(payload).body
        # An answer that read the clock (a relative time such as `-P2W`) is not reused.
        return _Answer(status, bytes(body), reusable=not context.read_clock)

    def _rate_limited(self) -> Response:
        reset_ms = int((self.world.clock().timestamp() + self.faults.retry_after) * 1000)
        headers = {
            "X-RateLimit-Requests-Limit": "5000",
            "X-RateLimit-Requests-Remaining": "0",
            "X-RateLimit-Requests-Reset": str(reset_ms),
        }
        limited: dict[str, Any] = {
            "type": "ratelimited",
            "code": "RATELIMITED",
            "statusCode": 429,
            "userError": True,
            "userPresentableMessage": "You have exceeded the rate limit.",
        }
        # Linear reports rate limiting as a GraphQL error, by default on HTTP 200.
        if self.faults.rate_limit_style == "http":
            headers["Retry-After"] = str(self.faults.retry_after)
            return _errors(429, "Rate limit exceeded", limited, headers)
        return _errors(200, "Rate limit exceeded", limited, headers, data=True)
