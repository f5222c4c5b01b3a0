"""Offline stand-ins for Jira Cloud, Linear and GitHub: one tracker world, three fakes.

The fakes answer to the providers' published APIs, not to the connectors that call them; the
connectors (`kitty_mock_saas.connectors`) never import this package. `EmbeddedFakes` is the one
seam: it hands a `ConnectorRegistry` the fakes' in-process endpoints. `server` serves one fake on
a real socket (`kitty-mock-saas tracker-fake`).
"""

from ._common import FakeFaults
from .embedded import FAKE_API_URLS, EmbeddedFakes, fake_app, fake_transport
from .github import create_github_fake
from .jira import create_jira_fake
from .linear import create_linear_fake
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
    "DEFAULT_CONTAINERS",
    "DEFAULT_IDENTITIES",
    "FAKE_API_URLS",
    "Container",
    "EmbeddedFakes",
    "FakeFaults",
    "FakeTicket",
    "Identity",
    "SearchHits",
    "TrackerWorld",
    "create_github_fake",
    "create_jira_fake",
    "create_linear_fake",
    "fake_app",
    "fake_transport",
    "generate_corpus",
    "seed_default_world",
]
