"""GitHub Issues (REST) connector.

Exact key: `GET /repos/{o}/{r}/issues/{n}`; pull requests (which that endpoint also returns)
are not issues, 410 means deleted, 301 means transferred (followed once to report the new
key). Text: `GET /search/issues?q=repo:o/r is:issue in:title,body ...` paged by the `Link`
header. Status: `state` plus `state_reason` (closed as not planned is canceled, never done).
Keys look like `acme/web#42`; `#42`, `42` and issue URLs of the bound repo are accepted.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from kitty_contracts import MatchType, Provider, StatusCategory

from . import _payload as p
from ._http import json_body
from .base import CandidatePage, Capabilities, TaskTrackerConnector, TrackerIssue
from .errors import (
    ConnectorError,
    InvalidQueryError,
    NotFoundError,
    OutOfScopeError,
    ProviderProtocolError,
    RateLimitedError,
)
from .retry import rate_limit_delay

__all__ = ["GitHubConnector", "github_search_query"]

_PROVIDER = Provider.github
_KEY = re.compile(
    r"^(?:https://[^/]+/(?P<url_repo>[\w.-]+/[\w.-]+)/issues/(?P<url_number>[1-9]\d*)"
    r"|(?:(?P<repo>[\w.-]+/[\w.-]+))?#?(?P<number>[1-9]\d*))/?$"
)
_SEARCH_CAP = 1000
# A secondary rate limit without Retry-After: GitHub asks clients to wait at least a minute.
_SECONDARY_LIMIT_WAIT = 60.0


def github_search_query(repo: str, text: str) -> str:
    """The `q` for an issue search in `repo`: words that look like syntax are quoted."""
    terms = []
    for word in text.replace('"', " ").split():
        special = ":" in word or word.startswith("-") or word in ("AND", "OR", "NOT")
        terms.append(f'"{word}"' if special else word)
    return f"repo:{repo} is:issue in:title,body {' '.join(terms)}"


class GitHubConnector(TaskTrackerConnector):
    """A GitHub repository (`ContainerRef.key` = `owner/repo`, `id` = repository id)."""

    provider = _PROVIDER
    # GitHub has only open and closed: "in progress" cannot be written.
    capabilities = Capabilities(
        writable_status_categories=frozenset(
            {StatusCategory.todo, StatusCategory.done, StatusCategory.canceled}
        )
    )

    @classmethod
    def auth_headers(cls, secret: str, *, email: str | None = None) -> dict[str, str]:
        """Bearer token plus the media type and API version GitHub recommends."""
        return {
            "Authorization": f"Bearer {secret}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        }

    def normalize_key(self, key: str) -> str:
        """`#42`, `42`, `acme/web#42` or an issue URL → `acme/web#42`.

        Raises: InvalidQueryError for anything else.
        """
        match = _KEY.match(key.strip())
        if match is None:
            raise InvalidQueryError(
                f"query_key '{key}' is not a GitHub issue reference (expected owner/repo#123).",
                provider=_PROVIDER,
            )
        repo = match.group("url_repo") or match.group("repo") or self.container.key
        number = match.group("url_number") or match.group("number")
        return f"{repo}#{number}"

    async def get_issue(self, key: str) -> TrackerIssue:
        """The issue `owner/repo#n` if it is an issue (not a PR) of the bound repository."""
        repo, _, number = key.partition("#")
        if repo.lower() != self.container.key.lower():
            raise OutOfScopeError(f"{key} is not in {self.container.key}", provider=_PROVIDER)
        response = await self.client.send(
            "GET",
            f"/repos/{self.container.key}/issues/{number}",
            handled={301, 404, 410},
            classify=_classify,
        )
        if response.status_code in (404, 410):
            gone = response.status_code == 410
            raise NotFoundError(
                f"GitHub has no visible issue {key}" + (" (deleted)" if gone else ""),
                gone=gone,
                provider=_PROVIDER,
                status_code=response.status_code,
            )
        if response.status_code == 301:
            raise await self._transferred(key, response)
        payload = json_body(_PROVIDER, response)
        if "pull_request" in payload:
            raise NotFoundError(f"{key} is a pull request, not an issue", provider=_PROVIDER)
        if _repo_of(payload).lower() != self.container.key.lower():
            raise OutOfScopeError(
                f"{key} now lives in {_repo_of(payload)}",
                provider=_PROVIDER,
                moved_to=_key_of(payload),
            )
        return _issue(payload)

    async def get_issue_by_id(self, issue_id: str, key_hint: str | None) -> TrackerIssue:
        """GitHub's REST API finds issues by number only: the hint's number, then the id check."""
        if key_hint is None:
            raise NotFoundError(
                f"GitHub cannot find issue id {issue_id} without its number", provider=_PROVIDER
            )
        try:
            key = self.normalize_key(key_hint)
        except InvalidQueryError:
            raise NotFoundError(f"{key_hint!r} names no GitHub issue", provider=_PROVIDER) from None
        return await self.get_issue(key)

    async def _transferred(self, key: str, response: httpx.Response) -> OutOfScopeError:
        """Follow the 301 once to learn the issue's new key."""
        location = response.headers.get("location")
        moved_to = None
        if location:
            try:
                moved = await self.client.send("GET", location, classify=_classify)
                moved_to = _key_of(json_body(_PROVIDER, moved))
            except ConnectorError:
                moved_to = None
        return OutOfScopeError(
            f"{key} was transferred" + (f" to {moved_to}" if moved_to else ""),
            moved_to=moved_to,
            provider=_PROVIDER,
            status_code=301,
        )

    async def find_text(self, text: str, limit: int, cursor: str | None) -> CandidatePage:
        """Issue search scoped to the repository; the cursor is the next page number."""
        page = _page_number(cursor)
        response = await self.client.send(
            "GET",
            "/search/issues",
            classify=_classify,
            params={
                "q": github_search_query(self.container.key, text),
                "per_page": limit,
                "page": page,
            },
        )
        payload = json_body(_PROVIDER, response)
        items = p.field(_PROVIDER, payload, "items", kind=list)
        candidates = [
            _issue(item).to_candidate(MatchType.text)
            for item in items
            if "pull_request" not in item and _repo_of(item).lower() == self.container.key.lower()
        ]
        next_page = _next_page(response)
        if next_page is not None and next_page * limit > _SEARCH_CAP:
            next_page = None
        return CandidatePage(
            candidates=candidates[:limit], next_cursor=str(next_page) if next_page else None
        )

    async def transition_status(self, issue: TrackerIssue, status: StatusCategory) -> TrackerIssue:
        """Open, close as completed, or close as not planned."""
        body = (
            {"state": "open"}
            if status is StatusCategory.todo
            else {
                "state": "closed",
                "state_reason": "completed" if status is StatusCategory.done else "not_planned",
            }
        )
        number = issue.external_issue_key.partition("#")[2]
        response = await self.client.send(
            "PATCH", f"/repos/{self.container.key}/issues/{number}", json=body, classify=_classify
        )
        return _issue(json_body(_PROVIDER, response))


def _classify(response: httpx.Response, now: datetime) -> ConnectorError | None:
    """GitHub signals rate limits with 403 as well as 429; a plain 403 stays a permission error."""
    if response.status_code not in (403, 429):
        return None
    headers = response.headers
    limited = (
        response.status_code == 429
        or headers.get("x-ratelimit-remaining") == "0"
        or "retry-after" in headers
        or "rate limit" in response.text.lower()
    )
    if not limited:
        return None
    delay = rate_limit_delay(headers, now)
    return RateLimitedError(
        "github rate limit exhausted",
        provider=_PROVIDER,
        status_code=response.status_code,
        retry_after=_SECONDARY_LIMIT_WAIT if delay is None else delay,
    )


def _issue(payload: Any) -> TrackerIssue:
    state = p.text(_PROVIDER, payload, "state")
    reason = p.optional_str(_PROVIDER, payload, "state_reason")
    status, category = _status(state, reason)
    return TrackerIssue(
        external_issue_id=str(p.field(_PROVIDER, payload, "id", kind=int)),
        external_issue_key=_key_of(payload),
        title=p.text(_PROVIDER, payload, "title"),
        status=status,
        status_category=category,
        url=p.text(_PROVIDER, payload, "html_url"),
        body_markdown=p.optional_str(_PROVIDER, payload, "body"),
    )


def _status(state: str, reason: str | None) -> tuple[str, StatusCategory]:
    if state == "open":
        return "Open", StatusCategory.todo
    if state != "closed":
        raise ProviderProtocolError(f"unknown GitHub issue state '{state}'", provider=_PROVIDER)
    if reason == "not_planned":
        return "Closed as not planned", StatusCategory.canceled
    if reason == "duplicate":
        return "Closed as duplicate", StatusCategory.canceled
    return "Closed", StatusCategory.done


def _repo_of(payload: Any) -> str:
    repository_url = p.text(_PROVIDER, payload, "repository_url")
    parts = urlsplit(repository_url).path.rstrip("/").split("/")
    if len(parts) < 3 or parts[-3] != "repos":
        raise ProviderProtocolError(
            "repository_url is not a repository API URL", provider=_PROVIDER
        )
    return f"{parts[-2]}/{parts[-1]}"


def _key_of(payload: Any) -> str:
    return f"{_repo_of(payload)}#{p.field(_PROVIDER, payload, 'number', kind=int)}"


def _page_number(cursor: str | None) -> int:
    if cursor is None:
        return 1
    if not cursor.isdigit() or int(cursor) < 1:
        raise InvalidQueryError(f"cursor '{cursor}' is not a GitHub page", provider=_PROVIDER)
    return int(cursor)


def _next_page(response: httpx.Response) -> int | None:
    link = response.links.get("next")
    if not link or "url" not in link:
        return None
    pages = parse_qs(urlsplit(link["url"]).query).get("page")
    return int(pages[0]) if pages and pages[0].isdigit() else None
