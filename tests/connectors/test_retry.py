"""The retry policy: backoff, rate-limit header parsing, and the deadline on a real socket."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest
from kitty_contracts import Provider
from kitty_mock_saas.connectors._http import ProviderClient
from kitty_mock_saas.connectors.errors import ProviderTimeoutError
from kitty_mock_saas.connectors.retry import (
    RetryPolicy,
    SystemClock,
    backoff_delay,
    rate_limit_delay,
)

from .conftest import FakeClock

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    clock = FakeClock()
    policy = RetryPolicy(base_delay=0.5, max_delay=8.0)
    assert [backoff_delay(n, policy, clock) for n in (1, 2, 3, 6, 10)] == [
        0.375,
        0.75,
        1.5,
        6.0,
        6.0,
    ]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "30"}, 30.0),
        ({"retry-after": "0"}, 0.0),
        (
            {
                "Retry-After": format_datetime(
                    datetime(2026, 3, 1, 12, 0, 20, tzinfo=UTC), usegmt=True
                )
            },
            20.0,
        ),
        ({"X-RateLimit-Reset": "2026-03-01T12:01Z", "X-RateLimit-Remaining": "0"}, 60.0),
        ({"x-ratelimit-reset": str(int(NOW.timestamp()) + 42), "x-ratelimit-remaining": "0"}, 42.0),
        ({"x-ratelimit-reset": str(int(NOW.timestamp()) + 42), "x-ratelimit-remaining": "7"}, None),
        ({"X-RateLimit-Requests-Reset": str(int(NOW.timestamp() * 1000) + 5000)}, 5.0),
        ({"Retry-After": "soon"}, None),
        ({}, None),
    ],
    ids=[
        "seconds",
        "zero",
        "http-date",
        "jira-iso-reset",
        "github-epoch",
        "github-not-empty",
        "linear-epoch-ms",
        "garbage",
        "none",
    ],
)
def test_rate_limit_delay_reads_every_provider_header(
    headers: dict[str, str], expected: float | None
) -> None:
    assert rate_limit_delay(headers, NOW) == expected


def test_past_reset_times_mean_no_wait() -> None:
    assert rate_limit_delay({"Retry-After": "-5"}, NOW) == 0.0
    assert rate_limit_delay({"X-RateLimit-Requests-Reset": "1000"}, NOW) == 0.0


@pytest.mark.anyio
async def test_no_attempt_outlives_the_deadline_whatever_the_timeout(hanging_tracker: str) -> None:
    policy = RetryPolicy(deadline=1.0)
    async with httpx.AsyncClient() as http:
        client = ProviderClient(
            Provider.jira,
            http,
            base_url=hanging_tracker,
            headers={},
            policy=policy,
            clock=SystemClock(),
            timeout=30.0,  # a configured timeout_seconds far beyond the deadline
        )
        started = time.monotonic()
        with pytest.raises(ProviderTimeoutError):
            await client.send("GET", "/rest/api/3/issue/IAM-42")
    assert time.monotonic() - started < policy.deadline + 0.5
