"""Neutral records of the shared ticket world: containers, tickets and provider identities.

The provider fakes render these as Jira, Linear or GitHub payloads; nothing here is shaped
like any one provider's API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kitty_contracts import Provider, StatusCategory

from kitty_mock_saas.connectors.base import ContainerRef

__all__ = ["Container", "FakeTicket", "Identity", "SearchHits"]


@dataclass(frozen=True, slots=True)
class Container:
    """A Jira project, Linear team or GitHub repository.

    `key` is `IAM` / `WEB` / `acme/web`; `id` the provider id (`10042`, the team UUID, `501`);
    `site_url` the web root: the Jira site, the Linear workspace (`https://linear.app/acme`) or
    the GitHub web root (`https://github.com`).
    """

    provider: Provider
    key: str
    id: str
    name: str
    site_url: str

    def ref(self) -> ContainerRef:
        """The binding a connector needs for this container."""
        return ContainerRef(
            provider=self.provider, key=self.key, id=self.id, site_url=self.site_url
        )


@dataclass(frozen=True, slots=True)
class FakeTicket:
    """One ticket (or GitHub pull request) in the world.

    `key` is the provider's human key (`IAM-42`, `WEB-123`, `acme/web#7`). `restricted_to`
    lists the account ids allowed to see it; None means everyone with access to the container.
    `transferred_to` is the new key of a moved GitHub issue; `deleted` marks a tombstone.
    """

    provider: Provider
    container_key: str
    container_id: str
    number: int
    id: str
    key: str
    title: str
    body_markdown: str | None
    status_name: str
    status_category: StatusCategory
    created_at: datetime
    updated_at: datetime
    state_reason: str | None = None
    is_pull_request: bool = False
    transferred_to: str | None = None
    deleted: bool = False
    restricted_to: tuple[str, ...] | None = None

    def visible_to(self, account_id: str) -> bool:
        """Whether `account_id` may see this ticket."""
        return self.restricted_to is None or account_id in self.restricted_to

    def overview(self) -> dict[str, Any]:
        """JSON-ready, for the dashboard and the admin API (the body is left out: it is long)."""
        return {
            "provider": self.provider.value,
            "container": self.container_key,
            "key": self.key,
            "id": self.id,
            "title": self.title,
            "status": self.status_name,
            "status_category": self.status_category.value,
            "state_reason": self.state_reason,
            "is_pull_request": self.is_pull_request,
            "transferred_to": self.transferred_to,
            "deleted": self.deleted,
            "restricted_to": None if self.restricted_to is None else list(self.restricted_to),
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Identity:
    """A provider access token and the account it acts as."""

    provider: Provider
    token: str
    account_id: str
    display_name: str


@dataclass(frozen=True, slots=True)
class SearchHits:
    """One page of a world search, best match first, with the total number of matches."""

    tickets: list[FakeTicket]
    total: int
