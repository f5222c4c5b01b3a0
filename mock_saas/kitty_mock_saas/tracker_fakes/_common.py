"""What every provider fake shares: credentials, fault switches and payload drift hooks."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

__all__ = ["FakeFaults", "Json", "PayloadHook", "decode_cursor", "encode_cursor", "request_token"]

Json = dict[str, Any]
# Called with (payload kind, payload) before a fake answers; tests use it to simulate a
# provider that drifted (a dropped field, a changed status category).
PayloadHook = Callable[[str, Json], Json]


@dataclass
class FakeFaults:
    """Switchable misbehaviour of one fake, per process.

    Usage::

        faults = FakeFaults()
        faults.rate_limit(retry_after=30)   # every request is rate limited until clear()
        faults.fail_next(503, times=2)      # the next two requests answer 503
    """

    rate_limited: bool = False
    retry_after: int = 30
    # Provider flavour of the rate-limit answer: GitHub "primary" (403 + remaining 0) or
    # "secondary" (429 + Retry-After); Linear "graphql" (HTTP 200 + errors) or "http" (429).
    rate_limit_style: str | None = None
    failures: list[int] = field(default_factory=list)
    requests_seen: int = 0
    rate_limited_requests: int | None = None

    def rate_limit(
        self, retry_after: int = 30, style: str | None = None, times: int | None = None
    ) -> None:
        """Answer requests as rate limited: the next `times` ones, or all until `clear()`."""
        self.rate_limited, self.retry_after, self.rate_limit_style = True, retry_after, style
        self.rate_limited_requests = times

    def take_rate_limit(self) -> bool:
        """Whether this request must be rate limited (counts down a limited burst)."""
        if not self.rate_limited:
            return False
        if self.rate_limited_requests is not None:
            self.rate_limited_requests -= 1
            if self.rate_limited_requests <= 0:
                self.rate_limited = False
        return True

    def fail_next(self, status: int, times: int = 1) -> None:
        """Answer the next `times` requests with `status`."""
        self.failures.extend([status] * times)

    def clear(self) -> None:
        """Back to normal behaviour."""
        self.rate_limited, self.rate_limit_style = False, None
        self.failures.clear()

    def next_failure(self) -> int | None:
        """Count one request; the status it must fail with, if any."""
        self.requests_seen += 1
        return self.failures.pop(0) if self.failures else None


def request_token(request: Request) -> str | None:
    """The credential in `Authorization`: Bearer / token / raw key, or a Basic password."""
    header = request.headers.get("authorization", "").strip()
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if not value:
        return scheme  # a raw key, as Linear personal API keys are sent
    if scheme.lower() in ("bearer", "token"):
        return value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None


def encode_cursor(offset: int, query: str) -> str:
    """An opaque page token bound to the query it continues."""
    raw = json.dumps({"o": offset, "q": query}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, query: str) -> int | None:
    """The offset in `token`, or None when it is malformed or belongs to another query."""
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("q") != query or not isinstance(data.get("o"), int):
        return None
    offset: int = data["o"]
    return offset if offset >= 0 else None
