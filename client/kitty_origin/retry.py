"""The retry policy: pure functions of the attempt, the answer and the clock.

What is retried: connection errors, 408, 429 and 5xx. Never 400/401/403/404/409/412/413/422
(401 gets one token refresh, handled by the client, not here). A 429 waits what the server asks
(`Retry-After` in seconds or as an HTTP date, RFC 9110 §10.2.3, or the body's
`retry_after_seconds`); everything else backs off exponentially with jitter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from kitty_contracts.error_catalogue import retryable_statuses

logger = logging.getLogger(__name__)

# 408 is a transport timeout, outside the contract; the rest are the catalogue's retryable statuses.
RETRYABLE_STATUSES = frozenset({408}) | retryable_statuses()


@dataclass(frozen=True)
class RetryPolicy:
    """How many retries, how long to back off, and the longest server-requested wait."""

    max_retries: int = 2
    backoff_initial_seconds: float = 0.5
    backoff_max_seconds: float = 8.0
    retry_after_cap_seconds: float = 30.0


def should_retry(status_code: int | None) -> bool:
    """Whether an answer (None: no answer, a connection error) is worth another attempt."""
    return status_code is None or status_code in RETRYABLE_STATUSES


def backoff_delay(attempt: int, policy: RetryPolicy, random: Callable[[], float]) -> float:
    """Exponential backoff for retry number `attempt` (0-based) with up to 25% jitter."""
    base = min(policy.backoff_initial_seconds * (2**attempt), policy.backoff_max_seconds)
    return float(base * (1.0 - 0.25 * random()))


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a `Retry-After` value (delay-seconds or HTTP-date); None if unusable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - now).total_seconds())
    return seconds if seconds >= 0 else None


def retry_delay(
    *,
    attempt: int,
    status_code: int | None,
    headers: Mapping[str, str],
    body_retry_after: float | None,
    policy: RetryPolicy,
    now: datetime,
    random: Callable[[], float],
) -> float | None:
    """Seconds to wait before retry number `attempt` (0-based), or None: do not retry.

    Honours the server's wait on a 429/503 when it gives one and it is within the cap.
    """
    if not should_retry(status_code) or attempt >= policy.max_retries:
        logger.debug("no retry: status=%s attempt=%d", status_code, attempt)
        return None
    asked = parse_retry_after(headers.get("retry-after"), now)
    if asked is None:
        asked = body_retry_after
    if asked is not None:
        if asked > policy.retry_after_cap_seconds:
            logger.debug("no retry: server asks %.1fs, over the cap", asked)
            return None
        logger.debug("retry %d after %.2fs (server asked)", attempt + 1, asked)
        return asked
    delay = backoff_delay(attempt, policy, random)
    logger.debug("retry %d after %.2fs (status=%s)", attempt + 1, delay, status_code)
    return delay
