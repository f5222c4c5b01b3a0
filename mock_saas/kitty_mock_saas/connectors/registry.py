"""`ConnectorRegistry`: provider → connector class, plus one shared HTTP client per provider.

The mock SaaS builds one registry per process and asks it for a connector per request:
`registry.connector(provider, container, credential)`. A registry only knows endpoints: where a
provider is reached and how. The mock's embedded fakes hand it theirs (in-process transports,
`kitty_mock_saas.tracker_fakes.EmbeddedFakes`); a tracker enabled in `config/task_trackers.yaml`
goes through the very same connector code over a real transport, to its `server_url` / `api_url`.

Two credentials meet here. The one a caller passes to `connector()` is the acting user's linked
identity (search, bind, refresh: the tracker must answer what *that user* may see). The one in
the file (`ProviderEndpoint.credential`) is the installation's, for what the SaaS does on its own
account, such as writing a status back; it is never used in place of a missing user link.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import httpx
from kitty_contracts import Provider, TaskTrackersConfig

from ._http import ProviderClient
from .base import ContainerRef, TaskTrackerConnector
from .config import enabled_trackers
from .errors import TrackerConfigError
from .github import GitHubConnector
from .jira import JiraConnector
from .linear import LinearConnector
from .retry import Clock, RetryPolicy, SystemClock
from .settings import Credential, resolve_env_reference

__all__ = ["CONNECTOR_TYPES", "ConnectorRegistry", "ContainerLookup", "ProviderEndpoint"]

# Adding a tracker: one connector module and one line here (and its fake in `tracker_fakes`).
CONNECTOR_TYPES: Mapping[Provider, type[TaskTrackerConnector]] = {
    Provider.jira: JiraConnector,
    Provider.linear: LinearConnector,
    Provider.github: GitHubConnector,
}
_DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
_CACHED_CONNECTORS = 256

# A container of the registry's trackers by provider and human key ("WEB", "acme/web").
ContainerLookup = Callable[[Provider, str], ContainerRef | None]


@dataclass(frozen=True, slots=True)
class ProviderEndpoint:
    """How to reach one provider: API base URL (None: the container's site) and the client.

    `credential` is the installation's credential, used when a caller passes none: the SaaS's
    own account at the tracker, for SaaS-side writes (a user's token is for what that user may
    search and read). For a tracker of `task_trackers.yaml` it is the `env:` credential resolved
    when the registry was built; for an embedded fake the world's seeded installation identity,
    which the fake accepts. `email` switches Jira to Basic auth with an
    API token. `owned` is False for an endpoint borrowed from another registry (`rebound`),
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

    Usage (with the mock's embedded fakes; see `kitty_mock_saas.tracker_fakes`)::

        fakes = EmbeddedFakes.over(world)
        registry = fakes.registry()
        connector = registry.connector(Provider.jira, "IAM", "jira-tok-alice")
        hits = await connector.search_by_key("IAM-42")
        await registry.aclose()
    """

    def __init__(
        self,
        endpoints: Mapping[Provider, ProviderEndpoint],
        *,
        policy: RetryPolicy | None = None,
        clock: Clock | None = None,
        containers: ContainerLookup | None = None,
    ) -> None:
        self._endpoints = dict(endpoints)
        self._containers = containers
        self.policy = policy or RetryPolicy()
        self.clock = clock or SystemClock()
        # Connectors hold no per-request state: one per (container, credential, policy, clock)
        # serves every request, instead of a client and its headers built per request.
        self._connectors: OrderedDict[tuple[object, ...], TaskTrackerConnector] = OrderedDict()

    @classmethod
    def from_config(
        cls,
        config: TaskTrackersConfig,
        *,
        base: ConnectorRegistry | None = None,
        environ: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        policy: RetryPolicy | None = None,
        clock: Clock | None = None,
        source: str | None = None,
    ) -> ConnectorRegistry:
        """Enabled trackers from `config` over a real transport; the other providers and the
        container lookup from `base` (the mock's embedded fakes), whose endpoints it takes over.

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
            endpoints,
            policy=policy or (base.policy if base else None),
            clock=clock or (base.clock if base else None),
            containers=base._containers if base else None,
        )

    def rebound(
        self, embedded: Mapping[Provider, ProviderEndpoint], containers: ContainerLookup
    ) -> ConnectorRegistry:
        """A registry whose in-process endpoints are `embedded` (a sandbox's own fakes); a
        configured tracker keeps its endpoint, shared with (and closed by) this registry."""
        endpoints = {
            provider: (
                embedded[provider]
                if endpoint.in_process is not None and provider in embedded
                else replace(endpoint, owned=False)
            )
            for provider, endpoint in self._endpoints.items()
        }
        return ConnectorRegistry(
            endpoints, policy=self.policy, clock=self.clock, containers=containers
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
        """Whether `provider` is answered in process (an embedded fake), not over a socket."""
        endpoint = self._endpoints.get(provider)
        return endpoint is not None and endpoint.in_process is not None

    def connector(
        self,
        provider: Provider | str,
        container: ContainerRef | str,
        credential: str | Credential | None = None,
    ) -> TaskTrackerConnector:
        """A connector for `container` acting as `credential` (default: the installation's).

        `container` is a `ContainerRef`, or the key of a container the registry can look up
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
        found = self._containers(provider, key) if self._containers is not None else None
        if found is None:
            raise TrackerConfigError(f"the tracker world has no {provider} container {key!r}")
        return found

    async def aclose(self) -> None:
        """Close every shared HTTP client this registry owns."""
        for endpoint in self._endpoints.values():
            if endpoint.owned:
                await endpoint.http.aclose()
