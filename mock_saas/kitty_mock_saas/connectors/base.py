"""The tracker-neutral interface every connector implements, and its canonical models.

Canonical models carry no tracker-specific fields: provider payloads are read and dropped
inside each connector module. Jira, Linear and GitHub implement the same six hooks
(`normalize_key`, `get_issue`, `get_issue_by_id`, `find_text`, `transition_status`, plus
`capabilities`); the public operations built on them are shared, so no provider is special
anywhere. The ADR's four operations (`fetch_issue`, `create_spec_from_issue`,
`sync_wp_status_to_issue`, `sync_issue_to_wp`) are among them, with its signatures.
"""

from __future__ import annotations

import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from kitty_contracts import (
    MatchType,
    OriginCandidate,
    Provider,
    ResourceType,
    StatusCategory,
    WorkPackageLane,
)
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
    "status_category_of",
    "suggested_lane",
]

MAX_PAGE_SIZE = 100


@cache
def _resource_type_of(provider: Provider) -> ResourceType:
    # The contract's `ResourceType.x-provider`: the one tracker each container kind belongs to.
    kinds = openapi_document()["components"]["schemas"]["ResourceType"]["x-provider"]
    return next(ResourceType(kind) for kind, owner in kinds.items() if owner == provider.value)


@cache
def _lane_categories() -> dict[str, StatusCategory]:
    # The contract's `WorkPackageLane.x-status-category`: the one lane → category table.
    table = openapi_document()["components"]["schemas"]["WorkPackageLane"]["x-status-category"]
    return {lane: StatusCategory(category) for lane, category in table.items()}


def status_category_of(status: str) -> StatusCategory:
    """The status category a work package `status` stands for: a lane or a category itself.

    Raises: InvalidQueryError naming the accepted values.
    """
    lanes = _lane_categories()
    if status in lanes:
        return lanes[status]
    try:
        return StatusCategory(status)
    except ValueError:
        allowed = ", ".join([*lanes, *(c.value for c in StatusCategory if c.value not in lanes)])
        raise InvalidQueryError(
            f"{status[:64]!r} is not a work package status (expected one of {allowed})."
        ) from None


def suggested_lane(category: StatusCategory) -> WorkPackageLane:
    """The lane a work package takes from a ticket of `category`.

    The lane of the same name, else the first lane of the contract's table mapping to it.
    """
    lanes = _lane_categories()
    if category.value in lanes:
        return WorkPackageLane(category.value)
    return WorkPackageLane(next(lane for lane, c in lanes.items() if c == category))


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
class TrackerIssue(Mapping[str, Any]):
    """One issue, normalized: the fields of an origin candidate without a match type.

    Also the ADR's `Dict`: a read-only mapping over the same fields (`issue["title"]`,
    `dict(issue)`), so callers written against the ADR and callers using attributes both work.
    """

    external_issue_id: str
    external_issue_key: str
    title: str
    status: str
    status_category: StatusCategory
    url: str
    body_markdown: str | None

    def __getitem__(self, name: str) -> Any:
        if name not in _ISSUE_FIELDS:
            raise KeyError(name)
        return getattr(self, name)

    def __iter__(self) -> Iterator[str]:
        return iter(_ISSUE_FIELDS)

    def __len__(self) -> int:
        return len(_ISSUE_FIELDS)

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


_ISSUE_FIELDS = tuple(f.name for f in fields(TrackerIssue))


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

    async def fetch_issue(self, issue_id: str) -> TrackerIssue:
        """The full issue (body as markdown) behind a tracker key or a stable provider id.

        A reference this tracker reads as a key (`IAM-42`, `WEB-123`, `acme/web#3`, and on GitHub
        a bare number) is a key; anything else is taken as a stable id (`fetch_issue_by_id`).
        Raises: NotFoundError, OutOfScopeError, transport errors.
        """
        try:
            key = self.normalize_key(issue_id)
        except InvalidQueryError:
            return await self.fetch_issue_by_id(issue_id.strip())
        return await self.get_issue(key)

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

    async def spec_markdown(self, issue_id: str) -> str:
        """The `spec.md` draft for the ticket behind `issue_id` (key or id): the one rendering."""
        return render_spec_markdown(await self.fetch_issue(issue_id))

    async def create_spec_from_issue(self, issue_id: str, directory: Path | None = None) -> Path:
        """Write the spec draft for `issue_id` to `directory/spec.md` (default: the current
        directory) and return its path.

        The file appears whole or not at all (a temporary file renamed over it), so a reader never
        sees half a spec.
        """
        markdown = await self.spec_markdown(issue_id)
        target = (directory if directory is not None else Path.cwd()) / "spec.md"
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".spec.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                out.write(markdown)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return target

    async def set_status(self, issue: TrackerIssue, status: StatusCategory) -> TrackerIssue:
        """Move an already fetched `issue` to `status`; a no-op when it is already there.

        Raises: CapabilityNotSupportedError when this tracker cannot represent or write it.
        """
        self._require_writable(status)
        if issue.status_category == status:
            return issue
        return await self.transition_status(issue, status)

    async def sync_wp_status_to_issue(self, wp_id: str, status: str) -> TrackerIssue:
        """Move the work package's ticket to the work package's `status`.

        `wp_id` (the ADR's name) is the ticket the work package is bound to, by key or stable
        id; `status` a work package lane (`for_review`) or a `StatusCategory` value (`done`),
        mapped through the contract's lane table. A no-op when the ticket already has that status
        category. Raises: InvalidQueryError for an unknown status (naming the accepted ones),
        CapabilityNotSupportedError when this tracker cannot represent or write it, and what
        `fetch_issue` raises.
        """
        category = status_category_of(status)
        self._require_writable(category)  # before the tracker is asked: it cannot change that
        return await self.set_status(await self.fetch_issue(wp_id), category)

    async def sync_issue_to_wp(self, issue_id: str) -> str:
        """The work package lane the ticket behind `issue_id` suggests (`planned`, `in_progress`,
        `done` or `canceled`): the lane, because the ADR's return is a work package status."""
        return suggested_lane((await self.fetch_issue(issue_id)).status_category).value

    def _require_writable(self, status: StatusCategory) -> None:
        if status not in self.capabilities.writable_status_categories:
            writable = sorted(c.value for c in self.capabilities.writable_status_categories)
            raise CapabilityNotSupportedError(
                f"{self.provider} connector cannot set status {status.value} "
                f"(it can set: {', '.join(writable) or 'none'})",
                capability="status_write",
                provider=self.provider,
            )


def render_spec_markdown(issue: TrackerIssue) -> str:
    """The spec draft for `issue`: title, origin line and the ticket body."""
    body = (issue.body_markdown or "").strip() or "_The ticket has no description._"
    return (
        f"# {issue.title}\n\n"
        f"> Origin: [{issue.external_issue_key}]({issue.url}) "
        f"({issue.status}, {issue.status_category.value})\n\n"
        f"## Context from the ticket\n\n{body}\n"
    )
