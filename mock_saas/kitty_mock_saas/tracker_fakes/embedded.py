"""The one seam between the fakes and the connectors: in-process endpoints over a world.

`connectors/` knows nothing of the fakes; it takes `ProviderEndpoint`s. `EmbeddedFakes` builds
them (each provider's fake app behind an `InProcessTransport`, with the world's seeded
installation credential) and hands a `ConnectorRegistry` its endpoints and a way to find the
world's containers by key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx
from kitty_contracts import Provider
from starlette.applications import Starlette

from kitty_mock_saas.connectors import ConnectorRegistry, ContainerRef, Credential, ProviderEndpoint
from kitty_mock_saas.connectors.retry import Clock, RetryPolicy

from ._common import FakeFaults
from .github import GITHUB_API_URL, create_github_fake
from .jira import create_jira_fake
from .linear import create_linear_fake
from .transport import InProcessTransport
from .world.seed import INSTALLATION_TOKENS
from .world.store import TrackerWorld

__all__ = ["FAKE_API_URLS", "EmbeddedFakes", "fake_app", "fake_transport"]

# Base URLs the fakes are reached at; None means "the container's site" (Jira Cloud).
FAKE_API_URLS: Mapping[Provider, str | None] = {
    Provider.jira: None,
    Provider.linear: "https://api.linear.app/graphql",
    Provider.github: GITHUB_API_URL,
}
_FACTORIES = {
    Provider.jira: create_jira_fake,
    Provider.linear: create_linear_fake,
    Provider.github: create_github_fake,
}
_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def fake_app(
    provider: Provider, world: TrackerWorld, faults: FakeFaults | None = None
) -> Starlette:
    """`provider`'s fake (a Starlette app) over `world`."""
    return _FACTORIES[provider](world, faults=faults)


def fake_transport(
    provider: Provider, world: TrackerWorld, faults: FakeFaults
) -> InProcessTransport:
    """A transport whose requests are served in-process by `provider`'s fake over `world`."""
    return InProcessTransport(fake_app(provider, world, faults))


@dataclass(slots=True)
class EmbeddedFakes:
    """Every provider's fake over one world, in this process, with its fault switches.

    Usage::

        fakes = EmbeddedFakes.over(world)
        registry = fakes.registry()
        fakes.faults[Provider.jira].rate_limit(retry_after=30)
    """

    world: TrackerWorld
    providers: tuple[Provider, ...] = tuple(_FACTORIES)
    faults: dict[Provider, FakeFaults] = field(init=False)
    endpoints: dict[Provider, ProviderEndpoint] = field(init=False)

    def __post_init__(self) -> None:
        self.faults = {provider: FakeFaults() for provider in self.providers}
        self.endpoints = {provider: self._endpoint(provider) for provider in self.providers}

    @classmethod
    def over(cls, world: TrackerWorld) -> EmbeddedFakes:
        """Every provider's fake over `world`."""
        return cls(world)

    def _endpoint(self, provider: Provider) -> ProviderEndpoint:
        transport = fake_transport(provider, self.world, self.faults[provider])
        return ProviderEndpoint(
            FAKE_API_URLS[provider],
            httpx.AsyncClient(transport=transport, timeout=_TIMEOUT),
            credential=Credential(f"installation:{provider.value}", INSTALLATION_TOKENS[provider]),
            in_process=transport,
        )

    def container(self, provider: Provider, key: str) -> ContainerRef | None:
        """The world's container of `provider` with human key `key`, as a connector binds it."""
        found = self.world.container(provider, key=key)
        return found.ref() if found is not None else None

    def registry(
        self, *, policy: RetryPolicy | None = None, clock: Clock | None = None
    ) -> ConnectorRegistry:
        """A registry that reaches every provider through these fakes."""
        return ConnectorRegistry(
            self.endpoints, policy=policy, clock=clock, containers=self.container
        )

    def rebind(self, registry: ConnectorRegistry) -> ConnectorRegistry:
        """`registry` with its embedded providers served by these fakes (a sandbox's world)."""
        return registry.rebound(self.endpoints, self.container)
