"""`ContractStage`: the one place where requests and answers meet the contracts, as Prism does it.

route (405 with every allowed method) → limits (header budget, body streamed against its byte
limit and deadline) → validate (parameters, then the decoded and parsed body) → a recorded answer
(`serve --replay`), or handle → validate the answer (development and test mode). Handlers get the parsed, valid body in
`request.state.contract_body` and check nothing the contract already says.

A request without any credentials is handed to its handler unvalidated so that it answers 401
first, as a missing token outranks a bad body (the limits still apply).
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from kitty_contracts import ErrorCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kitty_mock_saas.errors import ApiError, send_api_error

from . import body as bodies
from .operations import Operation, OperationTable
from .request import check_header_budget, check_request
from .response import violations

logger = logging.getLogger("kitty_mock_saas.contract")
CONTRACT_BODY = "contract_body"


class RecordedAnswers(Protocol):
    """Answers a recording holds (`kitty_mock_saas.replay.Replay`), served as recorded."""

    async def serve(
        self, operation: Operation, scope: Scope, raw: bytes | None, send: Send
    ) -> bool: ...


class ContractStage:
    """Pure ASGI middleware over the operations of `table`; other paths pass through untouched."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        table: OperationTable,
        body_timeout_seconds: float,
        validate_responses: bool,
        recorded: RecordedAnswers | None = None,
    ) -> None:
        self.app = app
        self.table = table
        self.body_timeout_seconds = body_timeout_seconds
        self.validate_responses = validate_responses
        self.recorded = recorded

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route = self.table.route(scope["method"], scope["path"])
        if route is None:
            await self.app(scope, receive, send)
            return
        operation = route.operation
        if operation is None:
            allowed = ", ".join(route.allowed)
            error = ApiError(
                ErrorCode.method_not_allowed,
                f"{scope['method']} is not allowed on {scope['path']}; use {allowed}.",
                headers={"Allow": allowed},
            )
            await send_api_error(scope, send, error)
            return
        state: dict[str, Any] = scope.setdefault("state", {})
        state["operation_id"] = operation.operation_id
        try:
            raw = await self._admit(operation, route.path_params, scope, receive)
        except bodies.ClientDisconnected:
            state["client_disconnected"] = True
            return
        except ApiError as error:
            await send_api_error(scope, send, error)
            return
        if self.recorded is not None and await self.recorded.serve(operation, scope, raw, send):
            return
        downstream = receive if raw is None else replay_body(raw, receive)
        if not self.validate_responses:
            await self.app(scope, downstream, send)
            return
        checked = _CheckedAnswer(operation, scope, send)
        await self.app(scope, downstream, checked.send)

    async def _admit(
        self, operation: Operation, path_params: dict[str, str], scope: Scope, receive: Receive
    ) -> bytes | None:
        """The raw body (None when the operation takes none), once the request is admitted.

        Raises:
            ApiError: the request breaks a limit or the contract.
            ClientDisconnected: the client left while sending its body.
        """
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        limits = operation.limits
        check_header_budget(headers, limits.header_bytes)
        raw = None
        if operation.media_type is not None:
            raw = await bodies.read_body(
                receive,
                limit=limits.body_bytes,
                content_length=_content_length(headers),
                deadline_seconds=self.body_timeout_seconds,
            )
        if operation.credential_headers and not any(
            name.decode("latin-1") in operation.credential_headers for name, _ in headers
        ):
            return raw  # the handler answers 401 before it looks at anything else
        value = check_request(operation, path_params, scope.get("query_string", b""), headers, raw)
        if raw is not None:
            scope["state"][CONTRACT_BODY] = value
        return raw


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str:
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def _content_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    value = _header(headers, b"content-length").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 20 else None


def _redacted(
    found: list[str], scope: Scope, answer_headers: list[tuple[bytes, bytes]], body: bytes
) -> list[str]:
    """The findings as they may be logged and shown: no credential of the exchange quoted."""
    # Imported here: the redaction step decodes bodies with this package's own decoder.
    from kitty_mock_saas.redaction import header_of, parse_body, secrets_in

    answer = parse_body(body, answer_headers, len(body) + 1)
    redaction = secrets_in(
        [*scope["headers"], *answer_headers],
        scope.get("query_string", b"").decode("latin-1"),
        [(answer, header_of(answer_headers, b"content-type"))],
    )
    return [redaction.text(message) for message in found]


def replay_body(raw: bytes, receive: Receive) -> Receive:
    """The body once more for the handler, then the connection's own messages (disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": raw, "more_body": False}

    return replay


class _CheckedAnswer:
    """Holds the answer until it is complete; sends it, or a 500 naming how it drifted."""

    def __init__(self, operation: Operation, scope: Scope, send: Send) -> None:
        self.operation = operation
        self.scope = scope
        self._send = send
        self._start: Message | None = None
        self._chunks: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._start = message
            return
        if message["type"] != "http.response.body" or self._start is None:
            await self._send(message)
            return
        self._chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = b"".join(self._chunks)
        found = violations(
            self.operation, self._start["status"], self._start.get("headers", []), body
        )
        if not found:
            await self._send(self._start)
            await self._send({"type": "http.response.body", "body": body})
            return
        found = _redacted(found, self.scope, self._start.get("headers", []), body)
        logger.error(
            "%s answered outside the contract: %s", self.operation.operation_id, "; ".join(found)
        )
        error = ApiError(
            ErrorCode.internal_error,
            f"The mock's answer to {self.operation.operation_id} breaks the contract: {found[0]}"[
                :4096
            ],
            details=[("response", v) for v in found],
            effect_certainty="unknown",  # the handler ran: it may have changed state
        )
        await send_api_error(self.scope, self._send, error)
