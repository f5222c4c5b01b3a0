"""Retry policy: when to try again and how long to wait. Pure functions plus an injectable clock.

The HTTP layer (`_http.py`) calls `backoff_delay` and `rate_limit_delay`; tests pass a fake
`Clock` so retries run instantly and deterministically.
"""

from __future__ import annotations

import asyncio
import random as _random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol

__all__ = [
    "Clock",
    "RetryPolicy",
    "SystemClock",
    "backoff_delay",
    "rate_limit_delay",
]


class Clock(Protocol):
    """Time as the retry loop sees it; inject a fake in tests."""

    def monotonic(self) -> float:
        """Seconds on a monotonic clock (deadlines)."""
        ...

    def now(self) -> datetime:
        """The current UTC wall-clock time (reset headers carry absolute times)."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds`."""
        ...

    def random(self) -> float:
        """A float in [0, 1) for jitter."""
        ...


class SystemClock:
    """The real clock: `time.monotonic`, `asyncio.sleep` and a private random generator."""

    def __init__(self, seed: int | None = None) -> None:
        self._random = _random.Random(seed)

    def monotonic(self) -> float:
        """Seconds on the process's monotonic clock."""
        return time.monotonic()

    def now(self) -> datetime:
        """The current UTC time."""
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        """Sleep without blocking the event loop."""
        await asyncio.sleep(seconds)

    def random(self) -> float:
        """Jitter source."""
        return self._random.random()


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How a connector retries one logical provider call.

    Retries apply to connection errors, timeouts, 429/rate-limit answers and 5xx. Every wait
    must end before `deadline` seconds after the first attempt; a provider asking for a longer
    wait than that gets no retry and the caller sees `RateLimitedError(retry_after=...)`.
    """

    max_attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    # Below the SDK's shortest default deadline (search, 10 s) with room for the answer to
    # travel back, so a client waiting on a hung tracker gets the 504, not its own timeout.
    deadline: float = 8.0

    @classmethod
    def no_retries(cls) -> RetryPolicy:
        """A policy that makes exactly one attempt."""
        return cls(max_attempts=1)


def backoff_delay(attempt: int, policy: RetryPolicy, clock: Clock) -> float:
    """Full-jitter exponential backoff for retry number `attempt` (1 = first retry)."""
    ceiling = min(policy.max_delay, policy.base_delay * 2.0 ** (attempt - 1))
    # Half fixed, half random: never zero, and concurrent clients spread out.
    return ceiling / 2 + clock.random() * ceiling / 2


def rate_limit_delay(headers: Mapping[str, str], now: datetime) -> float | None:
    """Seconds to wait according to rate-limit headers, or None when they say nothing.

    Reads, in order: `Retry-After` (seconds or HTTP-date, RFC 9110 §10.2.3), then the reset
    headers: Jira `X-RateLimit-Reset` (ISO 8601), GitHub `x-ratelimit-reset` (epoch seconds,
    only when `x-ratelimit-remaining` is 0) and Linear `X-RateLimit-Requests-Reset` (epoch ms).
    """
    lowered = {key.lower(): value.strip() for key, value in headers.items()}
    retry_after = lowered.get("retry-after")
    if retry_after:
        seconds = _parse_retry_after(retry_after, now)
        if seconds is not None:
            return seconds
    for name in ("x-ratelimit-requests-reset", "x-ratelimit-reset"):
        value = lowered.get(name)
        if not value:
            continue
        if name == "x-ratelimit-reset" and lowered.get("x-ratelimit-remaining", "0") != "0":
            continue
        reset = _parse_reset(value)
        if reset is not None:
            return max(0.0, (reset - now).total_seconds())
    return None


def _parse_retry_after(value: str, now: datetime) -> float | None:
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _parse_reset(value: str) -> datetime | None:
    try:
        number = float(value)
    except ValueError:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    # Linear sends epoch milliseconds, GitHub epoch seconds.
    seconds = number / 1000 if number > 1e11 else number
    return datetime.fromtimestamp(seconds, UTC)
