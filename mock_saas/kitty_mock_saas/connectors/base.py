"""The tracker-neutral interface every connector implements, and its canonical models.

Canonical models carry no tracker-specific fields: provider payloads are read and dropped
inside each connector module. Jira, Linear and GitHub implement the same six hooks
(`normalize_key`, `get_issue`, `get_issue_by_id`, `find_text`, `transition_status`, plus
`capabilities`); the public operations built on them are shared, so no provider is special
anywhere.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import cache
from typing import ClassVar

from kitty_contracts import MatchType, OriginCandidate, Provider, ResourceType, StatusCategory
from kitty_contracts.validation import openapi_document

from ._http import ProviderClient
from .errors import CapabilityNotSupportedError, InvalidQueryError, NotFoundError, OutOfScopeError

__all__ = [
    "MAX_PAGE_SIZE",
    "CandidatePage",
    "Capabilities",
    "ContainerRef",
    "TaskTrackerConnector",
    "TrackerIssue",
    "render_spec_markdown",
]

MAX_PAGE_SIZE = 100


@cache
def _resource_type_of(provider: Provider) -> ResourceType:
    # The contract's `ResourceType.x-provider`: the one tracker each container kind belongs to.
    kinds = openapi_document()["components"]["schemas"]["ResourceType"]["x-provider"]
    return next(ResourceType(kind) for kind, owner in kinds.items() if owner == provider.value)


@dataclass(frozen=True, slots=True)
class ContainerRef:
    """The project / team / repository a connector is bound to.

    `key` is the human key (`IAM`, `WEB`, `acme/web`), `id` the provider's stable id
    (`10042`, the team UUID, the repository id). `site_url` is the tracker's web root, used
    where a payload carries no browser link (Jira: `https://acme.atlassian.net`).
    """

    provider: Provider
    key: str
    id: str
    site_url: str | None = None

    @property
    def resource_type(self) -> ResourceType:
        """The contract's name for this kind of container."""
        return _resource_type_of(self.provider)


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a connector can do beyond search and fetch, which every connector must support.

    `writable_status_categories` lists the statuses `sync_wp_status_to_issue` can set; GitHub,
    for example, has no "in progress" state to write.
    """

    writable_status_categories: frozenset[StatusCategory] = field(default_factory=frozenset)

    @property
    def status_write(self) -> bool:
        """Whether any status can be written back to the tracker."""
        return bool(self.writable_status_categories)


@dataclass(frozen=True, slots=True)
class TrackerIssue:
    """One issue, normalized: the fields of an origin candidate without a match type."""

    external_issue_id: str
    external_issue_key: str
    title: str
    status: str
    status_category: StatusCategory
    url: str
    body_markdown: str | None

    def to_candidate(self, match_type: MatchType) -> OriginCandidate:
        """This issue as a contract `OriginCandidate`."""
        return OriginCandidate(
            external_issue_id=self.external_issue_id,
            external_issue_key=self.external_issue_key,
            title=self.title,
            status=self.status,
            status_category=self.status_category,
            url=self.url,
            match_type=match_type,
            body=self.body_markdown,
        )


@dataclass(frozen=True, slots=True)
class CandidatePage:
    """One page of text-search candidates in relevance order; `next_cursor` None on the last."""

    candidates: list[OriginCandidate]
    next_cursor: str | None = None


class TaskTrackerConnector(ABC):
    """One tracker, bound to one container, acting with one credential.

    Usage::

        connector = registry.connector(Provider.linear, container, "lin-tok-alice")
        [hit] = await connector.search_by_key("WEB-123")
        page = await connector.search_text("Clerk auth", limit=10)
    """

    provider: ClassVar[Provider]
    capabilities: ClassVar[Capabilities]

    def __init__(self, container: ContainerRef, client: ProviderClient) -> None:
        if container.provider != self.provider:
            raise ValueError(f"{type(self).__name__} cannot bind a {container.provider} container")
        self.container = container
        self.client = client

    def __repr__(self) -> str:
        return f"{type(self).__name__}(container={self.container!r})"

    @classmethod
    def auth_headers(cls, secret: str, *, email: str | None = None) -> dict[str, str]:
        """Request headers carrying `secret` (a bearer token unless the provider differs)."""
        return {"Authorization": f"Bearer {secret}"}

    # -- the provider hooks ------------------------------------------------------------------

    @abstractmethod
    def normalize_key(self, key: str) -> str:
        """The canonical form of `key`. Raises: InvalidQueryError when it is malformed."""

    @abstractmethod
    async def get_issue(self, key: str) -> TrackerIssue:
        """The issue with normalized `key` inside the bound container.

        Raises: NotFoundError (missing, invisible, deleted), OutOfScopeError (another
        container, or moved there), and the transport errors of the taxonomy.
        """

    @abstractmethod
    async def get_issue_by_id(self, issue_id: str, key_hint: str | None) -> TrackerIssue:
        """The issue whose stable provider id is `issue_id`, inside the bound container.

        `key_hint` is the key the caller last saw; only a tracker that cannot look an issue up by
        id alone uses it (and then checks the id). Raises as `get_issue`.
        """

    @abstractmethod
    async def find_text(self, text: str, limit: int, cursor: str | None) -> CandidatePage:
        """A relevance-ordered page of `text` matches scoped to the bound container."""

    async def transition_status(self, issue: TrackerIssue, status: StatusCategory) -> TrackerIssue:
        """Move `issue` to `status` in the tracker. The default: not supported."""
        raise CapabilityNotSupportedError(
            f"{self.provider} connector cannot write status",
            capability="status_write",
            provider=self.provider,
        )

    # -- the public operations, identical for every tracker -----------------------------------

    async def search_by_key(self, key: str) -> list[OriginCandidate]:
        """Exact-key search: 0 or 1 candidate with `match_type` exact.

        A key that is missing, invisible or outside the bound container gives `[]`.
        Raises: InvalidQueryError when `key` is malformed for this provider.
        """
        normalized = self.normalize_key(key)
        try:
            issue = await self.get_issue(normalized)
        except (NotFoundError, OutOfScopeError):
            return []
        return [issue.to_candidate(MatchType.exact)]

    async def search_text(
        self, text: str, limit: int = 10, cursor: str | None = None
    ) -> CandidatePage:
        """Free-text search in the bound container: at most `limit` candidates, best first.

        Pass the returned `next_cursor` back as `cursor` for the next page.
        Raises: InvalidQueryError for blank text or a limit outside 1..100.
        """
        stripped = text.strip()
        if not stripped:
            raise InvalidQueryError("query text is blank", provider=self.provider)
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise InvalidQueryError(
                f"limit must be between 1 and {MAX_PAGE_SIZE}", provider=self.provider
            )
        return await self.find_text(stripped, limit, cursor)

    async def fetch_issue(self, key: str) -> TrackerIssue:
        """The full issue behind `key` (body as markdown).

        Raises: InvalidQueryError, NotFoundError, OutOfScopeError, transport errors.
        """
        return await self.get_issue(self.normalize_key(key))

    async def fetch_issue_by_id(
        self, issue_id: str, *, key_hint: str | None = None
    ) -> TrackerIssue:
        """The issue behind the stable `issue_id`, with its current key (keys move, ids do not).

        Raises: NotFoundError (missing, invisible, deleted, or the id names another issue),
        OutOfScopeError, transport errors.
        """
        issue = await self.get_issue_by_id(issue_id, key_hint)
        if issue.external_issue_id != issue_id:
            # A tracker that also resolves keys in its id lookup must not turn a key into an id.
            raise NotFoundError(f"{self.provider} has no issue with id {issue_id}")
        return issue

    async def create_spec_from_issue(self, key: str) -> str:
        """A `spec.md` draft (markdown) generated from the ticket behind `key`."""
        return render_spec_markdown(await self.fetch_issue(key))

    async def sync_wp_status_to_issue(self, key: str, status: StatusCategory) -> TrackerIssue:
        """Move the ticket to the work package's `status`; a no-op when it is already there.

        Raises: CapabilityNotSupportedError when this tracker cannot represent or write it.
        """
        if status not in self.capabilities.writable_status_categories:
            raise CapabilityNotSupportedError(
                f"{self.provider} connector cannot set status {status.value}",
                capability="status_write",
                provider=self.provider,
            )
        issue = await self.fetch_issue(key)
        if issue.status_category == status:
            return issue
        return await self.transition_status(issue, status)

    async def sync_issue_to_wp(self, key: str) -> StatusCategory:
        """The status category the work package should take from the ticket behind `key`."""
        return (await self.fetch_issue(key)).status_category


def render_spec_markdown(issue: TrackerIssue) -> str:
    """The spec draft for `issue`: title, origin line and the ticket body."""
    body = (issue.body_markdown or "").strip() or "_The ticket has no description._"
    return (
        f"# {issue.title}\n\n"
        f"> Origin: [{issue.external_issue_key}]({issue.url}) "
        f"({issue.status}, {issue.status_category.value})\n\n"
        f"## Context from the ticket\n\n{body}\n"
    )
