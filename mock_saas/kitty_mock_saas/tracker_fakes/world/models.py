"""Neutral records of the shared ticket world: containers, tickets, accounts and their
identities (tokens), labels, comments and the events every write leaves.

The provider fakes render these as Jira, Linear or GitHub payloads; nothing here is shaped
like any one provider's API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from kitty_contracts import Provider, StatusCategory

from kitty_mock_saas.connectors.base import ContainerRef

__all__ = [
    "Account",
    "Comment",
    "Container",
    "EventKind",
    "FakeTicket",
    "Identity",
    "Label",
    "SearchHits",
    "TicketEvent",
    "TicketLink",
]


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
    `labels` are label names of the container's catalogue; `assignee` and `reporter` account
    ids; `priority` Linear's scale (0 none, 1 urgent, 2 high, 3 medium, 4 low; None: never
    set); `parent_key` the key of a ticket of the same provider.
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
    labels: tuple[str, ...] = ()
    assignee: str | None = None
    reporter: str | None = None
    priority: int | None = None
    parent_key: str | None = None

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
class Account:
    """A user (or app) of one provider: what `/myself`, `/user` and `viewer` describe.

    `login` is the GitHub login or the Linear user name (`alice`); Jira has none (None).
    `is_app` marks an installation's bot account (GitHub `Bot`, Jira `app`, Linear app user).
    """

    provider: Provider
    account_id: str
    display_name: str
    email: str | None = None
    login: str | None = None
    is_app: bool = False


@dataclass(frozen=True, slots=True)
class Identity:
    """A provider access token and the account it acts as."""

    provider: Provider
    token: str
    account_id: str
    display_name: str


@dataclass(frozen=True, slots=True)
class Label:
    """A label of one container's catalogue (GitHub repository labels, Linear team labels;
    Jira labels are free strings, kept here as they are used). Names are unique per
    container, compared case-insensitively as GitHub and Linear do."""

    provider: Provider
    container_id: str
    id: str
    name: str
    color: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment on a ticket; `id` is the provider's (Jira `10001`, GitHub an integer,
    Linear a UUID); the body is markdown, as the world keeps every text."""

    provider: Provider
    id: str
    ticket_key: str
    author: str | None
    body_markdown: str
    created_at: datetime
    updated_at: datetime


class EventKind(StrEnum):
    """What one change of a ticket was; GitHub's issue events and Jira's changelog items are
    rendered from these."""

    created = "created"
    renamed = "renamed"
    described = "described"
    labeled = "labeled"
    unlabeled = "unlabeled"
    assigned = "assigned"
    unassigned = "unassigned"
    reporter_changed = "reporter_changed"
    prioritized = "prioritized"
    reparented = "reparented"
    closed = "closed"
    reopened = "reopened"
    transitioned = "transitioned"
    commented = "commented"
    linked = "linked"
    unlinked = "unlinked"


@dataclass(frozen=True, slots=True)
class TicketEvent:
    """One change of a ticket, oldest first by `id`. The changes of one write share `write`
    (a Jira changelog history groups them). `details` holds `from`/`to` (titles, status
    names, priorities, parent keys), `label`, `assignee` or `comment_id` as the kind needs."""

    id: int
    write: int
    provider: Provider
    ticket_key: str
    kind: EventKind
    actor: str | None
    at: datetime
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TicketLink:
    """`from_key` <kind> `to_key`: a Jira issue link (`kind` the link type's name: `Blocks`,
    `Duplicate`, `Relates`) or a Linear relation (`blocks`, `duplicate`, `related`, `similar`);
    the world keeps the provider's own name. `id` is the provider's (Jira a number, Linear a
    UUID)."""

    provider: Provider
    id: str
    from_key: str
    to_key: str
    kind: str
    author: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SearchHits:
    """One page of a world search, best match first, with the total number of matches."""

    tickets: list[FakeTicket]
    total: int
