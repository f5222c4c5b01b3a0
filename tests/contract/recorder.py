"""A request/response recorder around an ASGI app, and the contract checks of what it saw.

`RecordingApp(app)` keeps every HTTP exchange (raw request bytes and headers, raw response bytes
and headers). `request_problems` and `response_problems` judge one exchange against the bundled
contract: the operation (method + path template), the declared header parameters and bearer auth,
the (decompressed) body against the operation's request schema, and the answer against the
response documented for its status.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import parse_qsl

from jsonschema import Draft202012Validator
from kitty_contracts.validation import openapi_document, validator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTRACT_PREFIXES = ("/api/", "/oauth/")
# Writes for which the client must always send a key, though the contract marks it optional.
KEYED_WRITES = frozenset({"bindMissionOrigin"})


@dataclass
class Exchange:
    """One request the app received and the answer it gave (header names lower-case)."""

    method: str
    path: str
    request_headers: dict[str, str]
    request_body: bytes
    status: int = 0
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: bytes = b""


class RecordingApp:
    """Pure ASGI wrapper that records every exchange with a contract route of `app`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.exchanges: list[Exchange] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope["path"]).startswith(CONTRACT_PREFIXES):
            await self.app(scope, receive, send)
            return
        exchange = Exchange(
            method=scope["method"],
            path=scope["path"],
            request_headers={
                k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]
            },
            request_body=b"",
        )
        self.exchanges.append(exchange)

        complete = False

        async def recording_receive() -> Message:
            nonlocal complete
            message = await receive()
            if message["type"] == "http.request":
                exchange.request_body += message.get("body", b"")
                complete = not message.get("more_body", False)
            else:
                complete = True
            return message

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                exchange.status = message["status"]
                exchange.response_headers = {
                    k.decode("latin-1").lower(): v.decode("latin-1")
                    for k, v in message.get("headers", [])
                }
            elif message["type"] == "http.response.body":
                exchange.response_body += message.get("body", b"")
            await send(message)

        await self.app(scope, recording_receive, recording_send)
        # An answer given before the body was read (an injected fault): record what was sent.
        for _ in range(10_000):
            if complete:
                break
            await recording_receive()


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    spec: dict[str, Any]

    @property
    def operation_id(self) -> str:
        return str(self.spec["operationId"])


@cache
def _contract() -> dict[str, Any]:
    """One parsed contract for every check (read only here)."""
    return openapi_document()


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    doc = _contract()
    while "$ref" in node:
        target: Any = doc
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


@cache
def operations() -> tuple[Operation, ...]:
    found = []
    for template, item in _contract()["paths"].items():
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        for method, spec in item.items():
            if method in {"get", "put", "post", "delete", "patch"}:
                found.append(Operation(method.upper(), template, re.compile(f"^{regex}$"), spec))
    return tuple(found)


def operation_of(exchange: Exchange) -> Operation | None:
    """The contract operation that `exchange` addressed, if any."""
    for operation in operations():
        if operation.method == exchange.method and operation.pattern.match(exchange.path):
            return operation
    return None


def _schema_problems(schema: dict[str, Any], value: Any, where: str) -> list[str]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        errors = list(validator(ref.rsplit("/", 1)[-1]).iter_errors(value))
    else:
        assert "$ref" not in json.dumps(schema), f"{where}: inline schema with $ref: {schema}"
        checker = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = list(checker.iter_errors(value))
    return [f"{where}: {error.message}" for error in errors]


def _media_type(headers: dict[str, str]) -> str:
    return headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _decoded_body(exchange: Exchange) -> tuple[bytes | None, list[str]]:
    encoding = exchange.request_headers.get("content-encoding", "identity").lower()
    body = exchange.request_body
    if encoding == "gzip":
        try:
            return gzip.decompress(body), []
        except (OSError, EOFError, zlib.error) as exc:
            return None, [f"body: Content-Encoding gzip but not gzip data ({exc})"]
    if body[:2] == b"\x1f\x8b":
        return None, [f"body: gzip data sent with Content-Encoding {encoding!r}"]
    return body, []


def request_problems(exchange: Exchange) -> list[str]:
    """Everything in the request that the contract does not allow (empty when it conforms)."""
    operation = operation_of(exchange)
    if operation is None:
        return [f"{exchange.method} {exchange.path} is no operation of the contract"]
    spec = operation.spec
    problems: list[str] = []
    match = operation.pattern.match(exchange.path)
    assert match is not None
    for parameter in (_resolve(p) for p in spec.get("parameters", [])):
        name, where = parameter["name"], parameter["in"]
        if where == "path":
            value: str | None = match.group(name)
        elif where == "header":
            value = exchange.request_headers.get(name.lower())
        else:
            continue  # the contract has no query or cookie parameters
        if value is None:
            if parameter.get("required"):
                problems.append(f"{where} {name}: required but missing")
            continue
        problems += _schema_problems(parameter["schema"], value, f"{where} {name}")
    security = spec.get("security", _contract().get("security", []))
    if security:
        authorization = exchange.request_headers.get("authorization", "")
        if not re.fullmatch(r"Bearer [A-Za-z0-9\-._~+/]+=*", authorization):
            problems.append(f"header Authorization: not a bearer token ({authorization[:12]!r})")
    if operation.operation_id in KEYED_WRITES and "idempotency-key" not in exchange.request_headers:
        problems.append("header Idempotency-Key: a write without a key cannot be retried safely")
    body_spec = spec.get("requestBody")
    if body_spec is None:
        if exchange.request_body:
            problems.append("body: the operation takes none")
        return problems
    content = _resolve(body_spec)["content"]
    media = _media_type(exchange.request_headers)
    if media not in content:
        return [*problems, f"header Content-Type: {media!r} is not one of {sorted(content)}"]
    raw, body_problems = _decoded_body(exchange)
    problems += body_problems
    if raw is None:
        return problems
    value_: Any
    if media == "application/x-www-form-urlencoded":
        value_ = dict(parse_qsl(raw.decode("utf-8")))
    else:
        try:
            value_ = json.loads(raw)
        except ValueError as exc:
            return [*problems, f"body: not JSON ({exc})"]
    return problems + _schema_problems(content[media]["schema"], value_, "body")


def response_problems(exchange: Exchange) -> list[str]:
    """Everything in the answer that the contract does not document for its operation."""
    operation = operation_of(exchange)
    if operation is None:
        return [f"{exchange.method} {exchange.path} is no operation of the contract"]
    responses = operation.spec["responses"]
    documented = responses.get(str(exchange.status), responses.get("default"))
    if documented is None:
        return [f"status {exchange.status} is not documented for {operation.operation_id}"]
    documented = _resolve(documented)
    problems: list[str] = []
    for name, header in documented.get("headers", {}).items():
        value = exchange.response_headers.get(name.lower())
        header = _resolve(header)
        if value is None:
            if header.get("required"):
                problems.append(f"response header {name}: required but missing")
            continue
        problems += _schema_problems(header["schema"], value, f"response header {name}")
    content = documented.get("content")
    if not content:
        if exchange.response_body:
            problems.append(f"status {exchange.status} has no documented body")
        return problems
    media = _media_type(exchange.response_headers)
    if media not in content:
        return [*problems, f"response Content-Type {media!r} is not one of {sorted(content)}"]
    try:
        value = json.loads(exchange.response_body)
    except ValueError as exc:
        return [*problems, f"response body: not JSON ({exc})"]
    return problems + _schema_problems(content[media]["schema"], value, "response body")
