"""The pure retry policy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from kitty_origin.retry import RetryPolicy, backoff_delay, parse_retry_after, retry_delay

NOW = datetime(2026, 4, 1, 9, 30, tzinfo=UTC)


def delay(status: int | None, attempt: int = 0, **kwargs: object) -> float | None:
    args: dict[str, object] = {
        "attempt": attempt,
        "status_code": status,
        "headers": {},
        "body_retry_after": None,
        "policy": RetryPolicy(),
        "now": NOW,
        "random": lambda: 0.0,
    }
    args.update(kwargs)
    return retry_delay(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("3", 3.0),
        ("0", 0.0),
        (" 1.5 ", 1.5),
        ("Wed, 01 Apr 2026 09:30:05 GMT", 5.0),
        ("Wed, 01 Apr 2026 09:29:00 GMT", 0.0),
        ("soon", None),
        ("-1", None),
        (None, None),
    ],
)
def test_retry_after_parses_seconds_and_http_dates(
    value: str | None, seconds: float | None
) -> None:
    assert parse_retry_after(value, NOW) == seconds


@pytest.mark.parametrize("status", [None, 408, 429, 500, 502, 503, 504])
def test_transient_answers_are_retried(status: int | None) -> None:
    assert delay(status) is not None


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 412, 413, 422])
def test_final_answers_are_not_retried(status: int) -> None:
    assert delay(status) is None


def test_retry_budget_is_respected() -> None:
    assert delay(503, attempt=1) is not None
    assert delay(503, attempt=2) is None


def test_backoff_doubles_up_to_the_cap_with_bounded_jitter() -> None:
    policy = RetryPolicy(backoff_initial_seconds=0.5, backoff_max_seconds=8.0)
    assert [backoff_delay(n, policy, lambda: 0.0) for n in range(6)] == [0.5, 1, 2, 4, 8, 8]
    assert backoff_delay(3, policy, lambda: 1.0) == 3.0  # at most 25% less


def test_server_wait_wins_over_backoff_header_over_body() -> None:
    assert delay(429, headers={"retry-after": "4"}, body_retry_after=2.0) == 4.0
    assert delay(429, body_retry_after=2.0) == 2.0
    assert delay(503, headers={"retry-after": "1"}) == 1.0


def test_server_wait_beyond_the_cap_is_not_retried() -> None:
    assert delay(429, headers={"retry-after": "3600"}) is None
