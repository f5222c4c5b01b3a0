"""Provider failures map to one taxonomy; retries honour Retry-After within a deadline."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from kitty_contracts import Provider
from kitty_mock_saas.connectors import (
    ConnectorError,
    ConnectorRegistry,
    InvalidQueryError,
    PermissionDeniedError,
    ProviderProtocolError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    RateLimitedError,
    RetryPolicy,
    TaskTrackerConnector,
)
from kitty_mock_saas.connectors.registry import CONNECTOR_TYPES, ProviderEndpoint
from kitty_mock_saas.tracker_fakes import FakeFaults, TrackerWorld
from kitty_mock_saas.tracker_fakes.world.seed import ACME_IAM, ACME_WEB_REPO, ACME_WEB_TEAM

from .conftest import FakeClock, build_registry

pytestmark = pytest.mark.anyio

BINDINGS = {
    Provider.jira: (ACME_IAM, "jira-tok-alice", "IAM-42", "signing keys"),
    Provider.linear: (ACME_WEB_TEAM, "lin-tok-alice", "WEB-123", "Clerk auth"),
    Provider.github: (ACME_WEB_REPO, "gh-tok-alice", "#3", "Safari"),
}
PROVIDERS = list(BINDINGS)


def connect(registry: ConnectorRegistry, provider: Provider) -> TaskTrackerConnector:
    container, token, _, _ = BINDINGS[provider]
    return registry.connector(provider, container.ref(), token)


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_rate_limit_beyond_the_deadline_is_raised_with_its_delay(
    registry: ConnectorRegistry,
    faults: dict[Provider, FakeFaults],
    clock: FakeClock,
    provider: Provider,
) -> None:
    faults[provider].rate_limit(retry_after=30)
    with pytest.raises(RateLimitedError) as raised:
        await connect(registry, provider).search_text(BINDINGS[provider][3])
    assert raised.value.provider == provider
    assert raised.value.retry_after == pytest.approx(30, abs=1)
    assert clock.sleeps == []  # 30 s exceeds the 10 s deadline: no pointless wait


@pytest.mark.parametrize(
    ("provider", "style"),
    [
        (Provider.linear, "http"),
        (Provider.linear, None),
        (Provider.github, "secondary"),
        (Provider.github, None),
    ],
    ids=["linear-429", "linear-200-with-errors", "github-secondary-429", "github-primary-403"],
)
async def test_every_rate_limit_flavour_is_recognised(
    registry: ConnectorRegistry,
    faults: dict[Provider, FakeFaults],
    provider: Provider,
    style: str | None,
) -> None:
    faults[provider].rate_limit(retry_after=45, style=style)
    with pytest.raises(RateLimitedError) as raised:
        await connect(registry, provider).search_by_key(BINDINGS[provider][2])
    assert raised.value.retry_after is not None
    assert 40 <= raised.value.retry_after <= 46


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_a_short_rate_limit_is_waited_out_and_retried(
    world: TrackerWorld, provider: Provider
) -> None:
    clock = FakeClock()
    faults = {p: FakeFaults() for p in PROVIDERS}
    registry = build_registry(world, clock=clock, faults=faults)
    style = "http" if provider is Provider.linear else "secondary"
    faults[provider].rate_limit(retry_after=2, style=style, times=1)
    hits = await connect(registry, provider).search_by_key(BINDINGS[provider][2])
    assert len(hits) == 1
    assert clock.sleeps == [pytest.approx(2, abs=1)]
    await registry.aclose()


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_server_errors_are_retried_with_backoff_then_surface(
    registry: ConnectorRegistry,
    faults: dict[Provider, FakeFaults],
    clock: FakeClock,
    provider: Provider,
) -> None:
    faults[provider].fail_next(503, times=2)
    assert len(await connect(registry, provider).search_by_key(BINDINGS[provider][2])) == 1
    assert clock.sleeps == [0.375, 0.75]  # base 0.5 s doubling, half fixed + half jitter
    faults[provider].fail_next(502, times=3)
    with pytest.raises(ProviderUnavailableError) as raised:
        await connect(registry, provider).search_by_key(BINDINGS[provider][2])
    assert raised.value.status_code == 502


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_non_retryable_errors_are_not_retried(
    registry: ConnectorRegistry,
    faults: dict[Provider, FakeFaults],
    clock: FakeClock,
    provider: Provider,
) -> None:
    faults[provider].fail_next(403)
    with pytest.raises(PermissionDeniedError):
        await connect(registry, provider).search_by_key(BINDINGS[provider][2])
    assert clock.sleeps == []


def mock_registry(
    handler: Callable[[httpx.Request], httpx.Response],
    clock: FakeClock,
    policy: RetryPolicy | None = None,
) -> ConnectorRegistry:
    endpoints = {
        provider: ProviderEndpoint(
            "https://tracker.test" if provider is not Provider.jira else None,
            httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        )
        for provider in CONNECTOR_TYPES
    }
    return ConnectorRegistry(endpoints, clock=clock, policy=policy)


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize(
    ("exception", "expected"),
    [
        (httpx.ReadTimeout("slow"), ProviderTimeoutError),
        (httpx.ConnectTimeout("slow"), ProviderTimeoutError),
        (httpx.ConnectError("refused"), ProviderUnavailableError),
        (httpx.RemoteProtocolError("reset"), ProviderUnavailableError),
    ],
    ids=["read-timeout", "connect-timeout", "connect-error", "protocol-error"],
)
async def test_transport_failures_stay_inside_the_taxonomy(
    provider: Provider, exception: Exception, expected: type[ConnectorError]
) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise exception

    clock = FakeClock()
    registry = mock_registry(handler, clock)
    with pytest.raises(expected) as raised:
        await connect(registry, provider).search_text("anything")
    assert isinstance(raised.value, ConnectorError)
    assert len(calls) == 3  # retried up to the policy's attempts
    assert clock.elapsed <= RetryPolicy().deadline
    await registry.aclose()


async def test_the_deadline_bounds_total_waiting() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503)

    clock = FakeClock()
    policy = RetryPolicy(max_attempts=10, base_delay=1.0, max_delay=8.0, deadline=5.0)
    registry = mock_registry(handler, clock, policy)
    with pytest.raises(ProviderUnavailableError):
        await connect(registry, Provider.github).search_text("anything")
    assert clock.elapsed <= 5.0
    assert clock.sleeps == [0.75, 1.5, 3.0][: len(clock.sleeps)]
    await registry.aclose()


@pytest.mark.parametrize(
    ("provider", "response", "expected"),
    [
        (Provider.github, httpx.Response(200, text="<html>"), ProviderProtocolError),
        (Provider.github, httpx.Response(200, json={"items": "nope"}), ProviderProtocolError),
        (Provider.jira, httpx.Response(200, json={"issues": []}), ProviderProtocolError),
        (Provider.jira, httpx.Response(400, json={"errorMessages": ["bad"]}), InvalidQueryError),
        (
            Provider.linear,
            httpx.Response(200, json={"errors": [{"message": "Boom"}]}),
            ProviderProtocolError,
        ),
        (
            Provider.linear,
            httpx.Response(
                400,
                json={
                    "errors": [
                        {
                            "message": "Argument Validation Error",
                            "extensions": {"code": "INPUT_ERROR", "type": "invalid input"},
                        }
                    ]
                },
            ),
            InvalidQueryError,
        ),
        (
            Provider.linear,
            httpx.Response(
                200,
                json={"errors": [{"message": "Forbidden", "extensions": {"code": "FORBIDDEN"}}]},
            ),
            PermissionDeniedError,
        ),
        (Provider.github, httpx.Response(418), ProviderProtocolError),
    ],
    ids=[
        "github-not-json",
        "github-bad-items",
        "jira-no-isLast",
        "jira-400",
        "linear-unknown-error",
        "linear-input-error",
        "linear-forbidden",
        "github-418",
    ],
)
async def test_unreadable_or_rejected_answers_are_typed(
    provider: Provider, response: httpx.Response, expected: type[ConnectorError]
) -> None:
    registry = mock_registry(lambda request: response, FakeClock())
    with pytest.raises(expected):
        await connect(registry, provider).search_text("anything")
    await registry.aclose()


async def test_error_messages_never_carry_the_credential(registry: ConnectorRegistry) -> None:
    connector = registry.connector(Provider.github, ACME_WEB_REPO.ref(), "gh-secret-value-123")
    with pytest.raises(ConnectorError) as raised:
        await connector.search_text("Safari")
    assert "gh-secret-value-123" not in repr(raised.value)
    assert "gh-secret-value-123" not in repr(connector.client)
