"""What the proxy found in one exchange: each way the request or the answer breaks the contract.

The checks are the mock's own contract stage (`stage.request`, `stage.response`), so the proxy
holds a live SaaS to exactly the rules the mock holds itself to. An answer over the size the
proxy checks raises `TooLargeToCheck`: the proxy passes it on and reports it as unchecked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from kitty_contracts import ErrorCode

from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.stage import OperationTable
from kitty_mock_saas.stage.body import decode_content
from kitty_mock_saas.stage.request import check_header_budget, check_request
from kitty_mock_saas.stage.response import violations

Direction = Literal["request", "response"]
Headers = Sequence[tuple[bytes, bytes]]


@dataclass(frozen=True)
class Finding:
    """One violation: which side, and what the contract says is wrong."""

    direction: Direction
    message: str


class TooLargeToCheck(Exception):
    """The answer (raw or decoded) is over the bytes the proxy checks."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the answer is over {limit:,} bytes, passed on unchecked")
        self.reason = str(self)


@dataclass(frozen=True)
class Exchange:
    """One request forwarded and the answer that came back (raw bytes, as on the wire)."""

    method: str
    path: str
    query: bytes
    request_headers: Headers
    request_body: bytes
    status: int
    response_headers: Headers
    response_body: bytes


def operation_id_of(table: OperationTable, method: str, path: str) -> str | None:
    route = table.route(method, path)
    return route.operation.operation_id if route and route.operation else None


def check_exchange(
    table: OperationTable, exchange: Exchange, *, max_body_bytes: int
) -> list[Finding]:
    """Every finding of `exchange`; empty when both sides conform (or the path is not a contract's).

    Raises:
        TooLargeToCheck: the answer is over `max_body_bytes`, before or after decoding.
    """
    route = table.route(exchange.method, exchange.path)
    if route is None:
        return []
    operation = route.operation
    if operation is None:
        allowed = ", ".join(route.allowed)
        return [
            Finding(
                "request", f"{exchange.method} is not an operation of {exchange.path} ({allowed})"
            )
        ]
    found: list[Finding] = []
    try:
        check_header_budget(exchange.request_headers, operation.limits.header_bytes)
        raw = exchange.request_body if operation.media_type is not None else None
        check_request(operation, route.path_params, exchange.query, exchange.request_headers, raw)
    except ApiError as error:
        found += _request_findings(error)
    answer = exchange.response_body
    if len(answer) > max_body_bytes:
        raise TooLargeToCheck(max_body_bytes)
    encoding = _header(exchange.response_headers, b"content-encoding")
    if encoding and answer:
        try:
            answer = decode_content(answer, encoding, max_body_bytes)
        except ApiError as error:
            if error.code is ErrorCode.payload_too_large:
                raise TooLargeToCheck(max_body_bytes) from None
            return [
                *found,
                Finding("response", f"the body is not valid {encoding}: {error.message}"),
            ]
    found += [
        Finding("response", message)
        for message in violations(operation, exchange.status, exchange.response_headers, answer)
    ]
    return found


def _request_findings(error: ApiError) -> list[Finding]:
    if error.details:
        return [Finding("request", f"{field}: {issue}") for field, issue in error.details]
    return [Finding("request", error.message)]


def _header(headers: Headers, name: bytes) -> str:
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1").strip()
    return ""
