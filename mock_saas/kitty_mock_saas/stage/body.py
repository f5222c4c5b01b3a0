"""Reading a request body within the contract's limits, and parsing it strictly.

The body is counted while it streams in, so an oversized one is refused before it is buffered;
gzip (one or several members) is inflated with the same bound, so a bomb costs nothing. JSON is
RFC 8259 JSON only: UTF-8, no NaN/Infinity, no lone surrogates, and bounded in depth and in the
length of integer literals (Python refuses more than 4300 digits with an unexpected ValueError).
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from kitty_contracts import ErrorCode
from starlette.types import Receive

from kitty_mock_saas.errors import ApiError

from .operations import Limits

# A \uD800-\uDFFF escape: only then can the parsed value hold a lone surrogate.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class ClientDisconnected(Exception):
    """The client went away before its body arrived: there is nobody to answer."""


def too_large(limit: int) -> ApiError:
    return ApiError(
        ErrorCode.payload_too_large,
        f"The request body is over {limit:,} bytes (decompressed); split it into smaller requests.",
        details=[("body", f"at most {limit} bytes")],
    )


async def read_body(
    receive: Receive, *, limit: int, content_length: int | None, deadline_seconds: float
) -> bytes:
    """The raw body, at most `limit` bytes, fully received within `deadline_seconds`.

    Raises:
        ApiError: payload_too_large (Content-Length or the bytes so far over `limit`), or
            malformed_request when the body does not arrive in time.
        ClientDisconnected: the client closed the connection first.
    """
    if content_length is not None and content_length > limit:
        raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    try:
        # One timer for the whole body (wait_for per chunk would start a task per message).
        async with asyncio.timeout(deadline_seconds):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise ClientDisconnected
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    raise too_large(limit)
                chunks.append(chunk)
                if not message.get("more_body", False):
                    return b"".join(chunks)
    except TimeoutError:
        raise ApiError(
            ErrorCode.malformed_request,
            f"The request body did not arrive within {deadline_seconds:g} s.",
            headers={"Connection": "close"},
        ) from None


def decode_content(raw: bytes, encoding: str, limit: int) -> bytes:
    """`raw` undone of its Content-Encoding (gzip or identity), at most `limit` bytes.

    Raises:
        ApiError: malformed_request for another coding or broken gzip, payload_too_large.
    """
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding != "gzip":
        raise ApiError(
            ErrorCode.malformed_request,
            f"Content-Encoding {encoding!r} is not supported; use gzip.",
            details=[("header.Content-Encoding", "gzip or identity")],
        )
    out: list[bytes] = []
    size, rest = 0, raw
    # RFC 1952: a gzip file is one or more members, one after the other.
    while rest:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            data = inflater.decompress(rest, limit - size + 1)
        except zlib.error as exc:
            raise ApiError(
                ErrorCode.malformed_request, f"The body is not valid gzip: {exc}."
            ) from exc
        size += len(data)
        if size > limit:
            raise too_large(limit)
        out.append(data)
        if not inflater.eof:
            raise ApiError(ErrorCode.malformed_request, "The gzip body is truncated.")
        rest = inflater.unused_data
    return b"".join(out)


def deeper_than(value: Any, limit: int, source: bytes) -> bool:
    """Whether arrays and objects nest more than `limit` levels (walked without recursion).

    `source` is the JSON text `value` was parsed from: each level opens with a bracket, so a
    text with no more brackets than `limit` (counted in C, strings included) is not walked.
    """
    if source.count(b"[") + source.count(b"{") <= limit:
        return False
    level = [value] if isinstance(value, (dict, list)) else []
    for _ in range(limit):
        level = [
            child
            for item in level
            for child in (item.values() if isinstance(item, dict) else item)
            if isinstance(child, (dict, list))
        ]
        if not level:
            return False
    return bool(level)


class _Refused(ValueError):
    def __init__(self, error: ApiError) -> None:
        super().__init__(error.message)
        self.error = error


def _invalid(field: str, issue: str, message: str) -> ApiError:
    return ApiError(ErrorCode.validation_failed, message, details=[(field, issue)])


def _int_parser(max_digits: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if len(text.lstrip("-")) > max_digits:
            raise _Refused(
                _invalid(
                    "body",
                    f"an integer of more than {max_digits} digits",
                    f"Integers in the body may have at most {max_digits} digits.",
                )
            )
        return int(text)

    return parse


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(
            _invalid("body", "a number out of range", f"The number {text[:40]} is out of range.")
        )
    return value


def _refuse_constant(name: str) -> None:
    raise _Refused(
        ApiError(
            ErrorCode.malformed_request,
            f"The request body is not valid JSON: {name} is not a JSON value.",
            details=[("body", "not JSON")],
        )
    )


def parse_json(data: bytes, limits: Limits) -> Any:
    """The JSON value of `data`, within the limits.

    Raises:
        ApiError: malformed_request (not UTF-8 JSON), validation_failed (too deep, an integer
            too long, a number out of range, a string that cannot be encoded).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(
            ErrorCode.malformed_request,
            f"The request body is not UTF-8: {exc.reason} at byte {exc.start}.",
            details=[("body", "not UTF-8")],
        ) from exc
    too_deep = _invalid(
        "body",
        f"nested more than {limits.json_depth} levels deep",
        f"The body nests arrays and objects more than {limits.json_depth} levels deep.",
    )
    try:
        value = json.loads(
            text,
            parse_int=_int_parser(limits.integer_digits),
            parse_float=_parse_float,
            parse_constant=_refuse_constant,
        )
    except _Refused as refused:
        raise refused.error from None
    except RecursionError:
        # The parser recurses once per level: far deeper than the limit, refused the same way.
        raise too_deep from None
    except json.JSONDecodeError as exc:
        raise ApiError(
            ErrorCode.malformed_request,
            f"The request body is not valid JSON: {exc}.",
            details=[("body", "not JSON")],
        ) from exc
    if deeper_than(value, limits.json_depth, data):
        raise too_deep
    if _SURROGATE_ESCAPE.search(data):
        _refuse_lone_surrogates(value)
    return value


def _refuse_lone_surrogates(value: Any) -> None:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _invalid(
            "body",
            "a string with a lone UTF-16 surrogate",
            "A string in the body holds a lone UTF-16 surrogate (\\ud800-\\udfff), "
            "which cannot be encoded as UTF-8.",
        ) from exc


def parse_form(data: bytes) -> dict[str, str]:
    """An `application/x-www-form-urlencoded` body: the last value of each field.

    Raises:
        ApiError: malformed_request (with the OAuth error `invalid_request`, RFC 6749 §5.2: form
            bodies are token requests here).
    """
    try:
        fields = parse_qsl(
            data.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=bool(data),
            errors="strict",
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError(
            ErrorCode.malformed_request,
            "The body is not form-encoded UTF-8.",
            oauth_error="invalid_request",
        ) from exc
    return dict(fields)
