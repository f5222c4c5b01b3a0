"""Tracker connectors: one `TaskTrackerConnector` interface, Jira / Linear / GitHub as equals.

The mock SaaS uses it like this::

    from kitty_contracts import Provider
    from kitty_mock_saas.connectors import (
        ConnectorRegistry, TrackerWorld, generate_corpus, seed_default_world,
    )

    world = TrackerWorld("/var/tmp/world.sqlite")     # or TrackerWorld() for ":memory:"
    seed_default_world(world)                         # idempotent
    generate_corpus(world, 100_000, seed=1)           # optional, for scale
    registry = ConnectorRegistry.for_world(world)     # one per process; fakes in-process

    team = world.container(Provider.linear, key="WEB")
    connector = registry.connector(Provider.linear, team.ref(), "lin-tok-alice")
    exact = await connector.search_by_key("WEB-123")  # list[OriginCandidate], 0 or 1
    page = await connector.search_text("Clerk auth", limit=10)   # CandidatePage

Errors all derive from `ConnectorError` (see `errors`). Real trackers come from
`config/task_trackers.yaml` through `load_task_trackers_config` and
`ConnectorRegistry.from_config`, with the same connector code.
"""

from .base import (
    CandidatePage,
    Capabilities,
    ContainerRef,
    TaskTrackerConnector,
    TrackerIssue,
    render_spec_markdown,
    status_category_of,
    suggested_lane,
)
from .config import TrackerEndpointConfig, enabled_trackers, load_task_trackers_config
from .errors import (
    AuthenticationFailedError,
    CapabilityNotSupportedError,
    ConnectorError,
    InvalidQueryError,
    NotFoundError,
    OutOfScopeError,
    PermissionDeniedError,
    ProviderProtocolError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    RateLimitedError,
    TrackerConfigError,
)
from .fakes._common import FakeFaults
from .github import GitHubConnector
from .jira import JiraConnector
from .linear import LinearConnector
from .registry import CONNECTOR_TYPES, ConnectorRegistry, ProviderEndpoint
from .retry import Clock, RetryPolicy, SystemClock
from .settings import Credential, resolve_env_reference
from .world import (
    DEFAULT_CONTAINERS,
    DEFAULT_IDENTITIES,
    Container,
    FakeTicket,
    Identity,
    SearchHits,
    TrackerWorld,
    generate_corpus,
    seed_default_world,
)

__all__ = [
    "CONNECTOR_TYPES",
    "DEFAULT_CONTAINERS",
    "DEFAULT_IDENTITIES",
    "AuthenticationFailedError",
    "CandidatePage",
    "Capabilities",
    "CapabilityNotSupportedError",
    "Clock",
    "ConnectorError",
    "ConnectorRegistry",
    "Container",
    "ContainerRef",
    "Credential",
    "FakeFaults",
    "FakeTicket",
    "GitHubConnector",
    "Identity",
    "InvalidQueryError",
    "JiraConnector",
    "LinearConnector",
    "NotFoundError",
    "OutOfScopeError",
    "PermissionDeniedError",
    "ProviderEndpoint",
    "ProviderProtocolError",
    "ProviderTimeoutError",
    "ProviderUnavailableError",
    "RateLimitedError",
    "RetryPolicy",
    "SearchHits",
    "SystemClock",
    "TaskTrackerConnector",
    "TrackerConfigError",
    "TrackerEndpointConfig",
    "TrackerIssue",
    "TrackerWorld",
    "enabled_trackers",
    "generate_corpus",
    "load_task_trackers_config",
    "render_spec_markdown",
    "resolve_env_reference",
    "seed_default_world",
    "status_category_of",
    "suggested_lane",
]
