"""Tracker connectors: one `TaskTrackerConnector` interface, Jira / Linear / GitHub as equals.

What a real SaaS would ship: the connectors, their registry and their errors. The mock's fakes of
the trackers live beside it in `kitty_mock_saas.tracker_fakes` (never imported from here) and
hand a registry their in-process endpoints::

    from kitty_contracts import Provider
    from kitty_mock_saas.tracker_fakes import EmbeddedFakes, TrackerWorld, seed_default_world

    world = TrackerWorld("/var/tmp/world.sqlite")     # or TrackerWorld() for ":memory:"
    seed_default_world(world)                         # idempotent
    registry = EmbeddedFakes.over(world).registry()   # one per process; fakes in-process

    connector = registry.connector(Provider.linear, "WEB", "lin-tok-alice")
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
from .github import GitHubConnector
from .jira import JiraConnector
from .linear import LinearConnector
from .registry import CONNECTOR_TYPES, ConnectorRegistry, ContainerLookup, ProviderEndpoint
from .retry import Clock, RetryPolicy, SystemClock
from .settings import Credential, resolve_env_reference

__all__ = [
    "CONNECTOR_TYPES",
    "AuthenticationFailedError",
    "CandidatePage",
    "Capabilities",
    "CapabilityNotSupportedError",
    "Clock",
    "ConnectorError",
    "ConnectorRegistry",
    "ContainerLookup",
    "ContainerRef",
    "Credential",
    "GitHubConnector",
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
    "SystemClock",
    "TaskTrackerConnector",
    "TrackerConfigError",
    "TrackerEndpointConfig",
    "TrackerIssue",
    "enabled_trackers",
    "load_task_trackers_config",
    "render_spec_markdown",
    "resolve_env_reference",
    "status_category_of",
    "suggested_lane",
]
