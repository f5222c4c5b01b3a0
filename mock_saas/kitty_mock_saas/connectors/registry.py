"""`ConnectorRegistry`: provider → connector class, plus one shared HTTP client per provider.

The mock SaaS builds one registry per process and asks it for a connector per request:
`registry.connector(provider, container, credential)`. By default every provider is an
in-process fake over a `TrackerWorld` (`InProcessTransport`: the provider's wire format, no
sockets, no ASGI exchange); a tracker enabled in `config/task_trackers.yaml` goes through the
very same connector code over a real transport, to its `server_url` / `api_url`.

Two credentials meet here. The one a caller passes to `connector()` is the acting user's linked
identity (search, bind, refresh: the tracker must answer what *that user* may see). The one in
the file (`ProviderEndpoint.credential`) is the installation's, for what the SaaS does on its own
account, such as writing a status back; it is never used in place of a missing user link.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace

import httpx
from kitty_contracts import Provider, TaskTrackersConfig
from starlette.applications import Starlette

from ._http import ProviderClient
from .base import ContainerRef, TaskTrackerConnector
from .config import enabled_trackers
from .errors import TrackerConfigError
from .fakes._common import FakeFaults
from .fakes.github import GITHUB_API_URL, create_github_fake
from .fakes.jira import create_jira_fake
from .fakes.linear import create_linear_fake
from .fakes.transport import InProcessTransport
from .github import GitHubConnector
from .jira import JiraConnector
from .linear import LinearConnector
from .retry import Clock, RetryPolicy, SystemClock
from .settings import Credential, resolve_env_reference
from .world.seed import INSTALLATION_TOKENS
from .world.store import TrackerWorld

__all__ = [
    "CONNECTOR_TYPES",
    "FAKE_API_URLS",
    "ConnectorRegistry",
    "ProviderEndpoint",
    "fake_app",
    "fake_transport",
]

# Adding a tracker: one connector module, one fake, one line here.
CONNECTOR_TYPES: Mapping[Provider, type[TaskTrackerConnector]] = {
    Provider.jira: JiraConnector,
    Provider.linear: LinearConnector,
    Provider.github: GitHubConnector,
}
# Base URLs the fakes are reached at; None means "the container's site" (Jira Cloud).
FAKE_API_URLS: Mapping[Provider, str | None] = {
    Provider.jira: None,
    Provider.linear: "https://api.linear.app/graphql",
    Provider.github: GITHUB_API_URL,
}
_DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
_CACHED_CONNECTORS = 256


@dataclass(frozen=True, slots=True)
class ProviderEndpoint:
    """How to reach one provider: API base URL (None: the container's site) and the client.

    `credential` is the installation's credential, used when a caller passes none: the SaaS's
    own account at the tracker, for SaaS-side writes (a user's token is for what that user may
    search and read). For a tracker of `task_trackers.yaml` it is the `env:` credential resolved
    when the registry was built; for an in-process fake the seeded installation identity
    (`INSTALLATION_TOKENS`), which the fake accepts. `email` switches Jira to Basic auth with an
    API token. `owned` is False for an endpoint borrowed from another registry (`with_world`),
    which that one closes.
    """

    api_url: str | None
    http: httpx.AsyncClient
    credential: Credential | None = None
    email: str | None = None
    timeout: float | None = None
    # The transport of an in-process fake, called directly (see `ProviderClient`).
    in_process: httpx.AsyncBaseTransport | None = None
    owned: bool = True

    def describe(self) -> str:
        """Where requests go, for the startup log (never the credential)."""
        if self.in_process is not None:
            return "embedded fake (in process)"
        target = self.api_url or "the container's site URL"
        via = f", installation credential {self.credential.source}" if self.credential else ""
        return f"{target}{via}"


class ConnectorRegistry:
    """Hands out connectors bound to a container and a credential.

    Usage::

        world = TrackerWorld("/tmp/world.sqlite"); seed_default_world(world)
        registry = ConnectorRegistry.for_world(world)
        connector = registry.connector(Provider.jira, ACME_IAM.ref(), "jira-tok-alice")
        hits = await connector.search_by_key("IAM-42")
        await registry.aclose()
    """

    def __init__(
        self,
        endpoints: Mapping[Provider, ProviderEndpoint],
        *,
        policy: RetryPolicy | None = None,
        clock: Clock | None = None,
        faults: Mapping[Provider, FakeFaults] | None = None,
        world: TrackerWorld | None = None,
    ) -> None:
        self._endpoints = dict(endpoints)
        self.world = world
        self.policy = policy or RetryPolicy()
        self.clock = clock or SystemClock()
        self.faults: dict[Provider, FakeFaults] = dict(faults or {})
        # Connectors hold no per-request state: one per (container, credential, policy, clock)
        # serves every request, instead of a client and its headers built per request.
        self._connectors: OrderedDict[tuple[object, ...], TaskTrackerConnector] = OrderedDict()

    @classmethod
    def for_world(
        cls,
        world: TrackerWorld,
        *,
        policy: RetryPolicy | None = None,
        clock: Clock | None = None,
    ) -> ConnectorRegistry:
        """Every provider answered by its in-process fake over `world`.

        `registry.faults[provider]` switches that fake's rate limiting and failures.
        """
        faults = {provider: FakeFaults() for provider in CONNECTOR_TYPES}
        endpoints = {p: _fake_endpoint(p, world, faults[p]) for p in CONNECTOR_TYPES}
        return cls(endpoints, policy=policy, clock=clock, faults=faults, world=world)

    @classmethod
    def from_config(
        cls,
        config: TaskTrackersConfig,
        *,
        world: TrackerWorld | None = None,
        environ: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        policy: RetryPolicy | None = None,
        clock: Clock | None = None,
        source: str | None = None,
    ) -> ConnectorRegistry:
        """Enabled trackers from `config` over a real transport; the rest from `world`'s fakes.

        Credentials are resolved here, once, from `environ` (default: the process env), so a
        missing variable stops the start instead of the first request. `source` is the file
        the config came from, named in errors.
        Raises: TrackerConfigError naming the file and field of an unset credential variable
        (never its value).
        """
        resolved = {}
        for tracker in enabled_trackers(config):
            try:
                resolved[tracker.provider] = resolve_env_reference(
                    tracker.credential_reference,
                    environ=environ,
                    field_path=tracker.credential_field,
                )
            except TrackerConfigError as exc:
                if source is None:
                    raise
                raise TrackerConfigError(f"{source}: {exc}", path=source, field=exc.field) from None
        base = cls.for_world(world, policy=policy, clock=clock) if world is not None else None
        endpoints = dict(base._endpoints) if base else {}
        for tracker in enabled_trackers(config):
            credential = resolved[tracker.provider]
            http = httpx.AsyncClient(transport=transport, timeout=_DEFAULT_TIMEOUT)
            endpoints[tracker.provider] = ProviderEndpoint(
                tracker.api_url,
                http,
                credential=credential,
                email=tracker.email,
                timeout=tracker.timeout_seconds,
            )
        return cls(
            endpoints, policy=policy, clock=clock, faults=base.faults if base else None, world=world
        )

    def with_world(self, world: TrackerWorld) -> ConnectorRegistry:
        """A registry whose in-process fakes serve `world` (a sandbox's own copy); configured
        trackers keep their endpoint, shared with (and closed by) this registry."""
        faults = {}
        endpoints = {}
        for provider, endpoint in self._endpoints.items():
            if endpoint.in_process is None:
                endpoints[provider] = replace(endpoint, owned=False)
                continue
            faults[provider] = FakeFaults()
            endpoints[provider] = _fake_endpoint(provider, world, faults[provider])
        return ConnectorRegistry(
            endpoints, policy=self.policy, clock=self.clock, faults=faults, world=world
        )

    @property
    def providers(self) -> list[Provider]:
        """The providers this registry can serve."""
        return list(self._endpoints)

    def endpoint(self, provider: Provider) -> ProviderEndpoint:
        """How `provider` is reached; `.credential` is its installation credential (an
        embedded fake's is the seeded installation), for what the SaaS does on its own account.

        Raises: TrackerConfigError when the registry does not serve `provider`.
        """
        found = self._endpoints.get(provider)
        if found is None:
            raise TrackerConfigError(f"no connector configured for {provider}")
        return found

    def routes(self) -> dict[Provider, str]:
        """Per provider, where its connector sends requests (for the startup log)."""
        return {provider: endpoint.describe() for provider, endpoint in self._endpoints.items()}

    def is_embedded(self, provider: Provider) -> bool:
        """Whether `provider` is answered by an in-process fake over this registry's world."""
        endpoint = self._endpoints.get(provider)
        return endpoint is not None and endpoint.in_process is not None

    def connector(
        self,
        provider: Provider | str,
        container: ContainerRef | str,
        credential: str | Credential | None = None,
    ) -> TaskTrackerConnector:
        """A connector for `container` acting as `credential` (default: the installation's).

        `container` is a `ContainerRef`, or the key of a container of the registry's world
        (`"WEB"`, `"IAM"`, `"acme/web"`). Cheap: the provider's HTTP client is shared and the
        connector is cached, so call it per request.
        Raises: TrackerConfigError when the provider or container is unknown or no credential
        is available.
        """
        provider = Provider(provider)
        if isinstance(container, str):
            container = self._container(provider, container)
        endpoint = self._endpoints.get(provider)
        if endpoint is None:
            raise TrackerConfigError(f"no connector configured for {provider}")
        secret = credential if credential is not None else endpoint.credential
        if secret is None:
            raise TrackerConfigError(f"no credential given for {provider}")
        revealed = secret.reveal() if isinstance(secret, Credential) else secret
        key = (provider, container, revealed, self.policy, self.clock)
        cached = self._connectors.get(key)
        if cached is not None:
            self._connectors.move_to_end(key)
            return cached
        connector = self._build(provider, container, endpoint, revealed)
        self._connectors[key] = connector
        if len(self._connectors) > _CACHED_CONNECTORS:
            self._connectors.popitem(last=False)
        return connector

    def _build(
        self, provider: Provider, container: ContainerRef, endpoint: ProviderEndpoint, secret: str
    ) -> TaskTrackerConnector:
        connector_type = CONNECTOR_TYPES[provider]
        base_url = endpoint.api_url or container.site_url
        if not base_url:
            raise TrackerConfigError(f"{provider} container {container.key} has no site URL")
        client = ProviderClient(
            provider,
            endpoint.http,
            base_url=base_url,
            headers={
                "User-Agent": "spec-kitty-origin-connectors",
                **connector_type.auth_headers(secret, email=endpoint.email),
            },
            policy=self.policy,
            clock=self.clock,
            timeout=endpoint.timeout,
            in_process=endpoint.in_process,
        )
        return connector_type(container, client)

    def _container(self, provider: Provider, key: str) -> ContainerRef:
        found = self.world.container(provider, key=key) if self.world is not None else None
        if found is None:
            raise TrackerConfigError(f"the tracker world has no {provider} container {key!r}")
        return found.ref()

    async def aclose(self) -> None:
        """Close every shared HTTP client this registry owns."""
        for endpoint in self._endpoints.values():
            if endpoint.owned:
                await endpoint.http.aclose()


def fake_app(
    provider: Provider, world: TrackerWorld, faults: FakeFaults | None = None
) -> Starlette:
    """`provider`'s fake (a Starlette app) over `world`."""
    factories = {
        Provider.jira: create_jira_fake,
        Provider.linear: create_linear_fake,
        Provider.github: create_github_fake,
    }
    return factories[provider](world, faults=faults)


def _fake_endpoint(provider: Provider, world: TrackerWorld, faults: FakeFaults) -> ProviderEndpoint:
    """An in-process fake, reached with the world's seeded installation as its credential."""
    transport = fake_transport(provider, world, faults)
    return ProviderEndpoint(
        FAKE_API_URLS[provider],
        httpx.AsyncClient(transport=transport, timeout=_DEFAULT_TIMEOUT),
        credential=Credential(f"installation:{provider.value}", INSTALLATION_TOKENS[provider]),
        in_process=transport,
    )


def fake_transport(
    provider: Provider, world: TrackerWorld, faults: FakeFaults
) -> InProcessTransport:
    """A transport whose requests are served in-process by `provider`'s fake over `world`."""
    return InProcessTransport(fake_app(provider, world, faults))
