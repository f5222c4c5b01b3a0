"""Bounded answers: a body is read against the deadline and a byte cap, then decoded once.

The body is streamed raw and inflated here (not by httpx), with `max_length`, so a gzip bomb
costs at most the cap; JSON nesting is capped as well, so no answer can exhaust memory or the
stack. Anything over a bound, or unreadable, is a `ContractViolationError`.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from .errors import APITimeoutError, ContractViolationError

# zlib window bits: 16 + 15 expects a gzip header, 15 a zlib one (HTTP "deflate").
_WBITS = {"gzip": 31, "x-gzip": 31, "deflate": 15}


@dataclass(frozen=True)
class AnswerLimits:
    """The most a single answer may cost: decoded bytes and JSON nesting depth."""

    max_bytes: int = 8 * 1024 * 1024
    max_depth: int = 64


def read_body(
    response: httpx.Response,
    limits: AnswerLimits,
    *,
    seconds_left: Callable[[], float],
    what: str,
) -> bytes:
    """The decoded body of a streamed response, within the deadline and the byte cap.

    Raises:
        APITimeoutError: the deadline passed while the body was arriving.
        ContractViolationError: the body is over the cap or its encoding is broken or unknown.
    """
    status = response.status_code
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity", *_WBITS):
        raise _violation(what, status, f"unsupported content-encoding {encoding!r}")
    declared = response.headers.get("content-length", "")
    if encoding in ("", "identity") and declared.isdigit() and int(declared) > limits.max_bytes:
        raise _over_cap(what, status, limits)
    inflater = zlib.decompressobj(_WBITS[encoding]) if encoding in _WBITS else None
    parts: list[bytes] = []
    size = 0
    # The stream itself, not `iter_raw()`: in-memory responses (mocks) count as already read.
    stream = response.stream
    if not isinstance(stream, httpx.SyncByteStream):
        raise _violation(what, status, "the answer is not a synchronous stream")
    for chunk in stream:
        if seconds_left() <= 0:
            raise APITimeoutError(f"{what}: the deadline passed while the answer was arriving")
        data = _inflate(inflater, chunk, limits.max_bytes - size, what, status)
        size += len(data)
        if size > limits.max_bytes:
            raise _over_cap(what, status, limits)
        parts.append(data)
    if inflater is not None and not inflater.eof:
        raise _violation(what, status, f"truncated {encoding} body")
    return b"".join(parts)


def decode_json(content: bytes, status_code: int, limits: AnswerLimits) -> Any:
    """The JSON value of a body, nested at most `limits.max_depth` deep.

    Raises:
        ContractViolationError: not JSON (including invalid UTF-8), or nested too deep.
    """
    try:
        value = json.loads(content)
    except RecursionError:
        raise _violation("the SaaS", status_code, "JSON nested too deep") from None
    except ValueError as exc:
        raise _violation("the SaaS", status_code, f"not JSON: {exc}") from None
    # Each level of nesting opens with a bracket, so a body with no more brackets than the limit
    # (counted in C, strings included) cannot exceed it; only the others are walked.
    brackets = content.count(b"[") + content.count(b"{")
    if brackets > limits.max_depth and _depth_exceeds(value, limits.max_depth):
        raise _violation("the SaaS", status_code, f"JSON nested deeper than {limits.max_depth}")
    return value


def _inflate(
    inflater: Any, chunk: bytes, room: int, what: str, status: int
) -> bytes:  # zlib's decompressobj has no public type
    if inflater is None:
        return chunk
    try:
        # One byte more than the room left is enough to know the cap is exceeded.
        return bytes(inflater.decompress(chunk, max(room, 0) + 1))
    except zlib.error as exc:
        raise _violation(what, status, f"broken compressed body: {exc}") from None


def _depth_exceeds(value: Any, max_depth: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _over_cap(what: str, status: int, limits: AnswerLimits) -> ContractViolationError:
    return _violation(what, status, f"answer larger than {limits.max_bytes} bytes")


def _violation(what: str, status: int, reason: str) -> ContractViolationError:
    return ContractViolationError(
        f"{what}: HTTP {status} answer refused: {reason}", status_code=status, problems=[reason]
    )
