"""Jira Cloud (REST v3) connector.

Exact key: `GET /rest/api/3/issue/{KEY}` plus a check of the returned project id, because
Jira resolves moved issues' old keys. Text: `POST /rest/api/3/search/jql` with bounded JQL
`project = <id> AND text ~ "<escaped>"`, explicit `fields` (the endpoint returns only ids
otherwise) and `nextPageToken` paging. Status comes from `statusCategory.key`, which is
stable across workflows and languages; the browser link is `<site>/browse/KEY`, not `self`.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from kitty_contracts import MatchType, Provider, StatusCategory

from . import _payload as p
from ._http import json_body
from .adf import adf_to_markdown
from .base import CandidatePage, Capabilities, TaskTrackerConnector, TrackerIssue
from .errors import (
    CapabilityNotSupportedError,
    InvalidQueryError,
    NotFoundError,
    OutOfScopeError,
    ProviderProtocolError,
)

__all__ = ["JiraConnector", "escape_jql_text"]

_KEY = re.compile(r"^[A-Z][A-Z0-9_]*-[1-9][0-9]*$")
_FIELDS = ("summary", "status", "description", "project", "resolution")
_CATEGORY_KEYS = {
    "new": StatusCategory.todo,
    "undefined": StatusCategory.todo,
    "indeterminate": StatusCategory.in_progress,
    "done": StatusCategory.done,
}
# Resolutions meaning "closed without doing it"; Jira keeps them in the done category.
_CANCELED_RESOLUTIONS = {
    "won't do",
    "won't fix",
    "cancelled",
    "canceled",
    "declined",
    "duplicate",
    "obsolete",
}
_LUCENE_SPECIALS = re.compile(r'([+\-&|!(){}\[\]^~*?:\\/"])')
_PROVIDER = Provider.jira


def escape_jql_text(text: str) -> str:
    """`text` as the inside of a JQL `text ~ "..."` string: Lucene specials, then JQL quoting."""
    lucene = _LUCENE_SPECIALS.sub(r"\\\1", text)
    return lucene.replace("\\", "\\\\").replace('"', '\\"')


class JiraConnector(TaskTrackerConnector):
    """A Jira Cloud project (`ContainerRef.key` = project key, `id` = project id)."""

    provider = _PROVIDER
    capabilities = Capabilities(writable_status_categories=frozenset(StatusCategory))

    @classmethod
    def auth_headers(cls, secret: str, *, email: str | None = None) -> dict[str, str]:
        """Basic `email:api_token` for API tokens, Bearer for OAuth access tokens."""
        if email:
            basic = base64.b64encode(f"{email}:{secret}".encode()).decode()
            return {"Authorization": f"Basic {basic}", "Accept": "application/json"}
        return {"Authorization": f"Bearer {secret}", "Accept": "application/json"}

    def normalize_key(self, key: str) -> str:
        """`iam-42` → `IAM-42`. Raises: InvalidQueryError for anything else."""
        normalized = key.strip().upper()
        if not _KEY.match(normalized):
            raise InvalidQueryError(
                f"query_key '{key}' is not a Jira issue key (expected PROJECT-123).",
                provider=_PROVIDER,
            )
        return normalized

    async def get_issue(self, key: str) -> TrackerIssue:
        """The issue, if it is in the bound project (by id: keys move, ids do not)."""
        response = await self.client.send(
            "GET",
            f"/rest/api/3/issue/{key}",
            params={"fields": ",".join(_FIELDS)},
            handled={404},
        )
        if response.status_code == 404:
            raise NotFoundError(
                f"Jira has no visible issue {key}", provider=_PROVIDER, status_code=404
            )
        payload = json_body(_PROVIDER, response)
        issue = self._issue(payload)
        if p.text(_PROVIDER, payload, "fields", "project", "id") != self.container.id:
            raise OutOfScopeError(
                f"{key} is not in project {self.container.key}", provider=_PROVIDER
            )
        return issue

    async def get_issue_by_id(self, issue_id: str, key_hint: str | None) -> TrackerIssue:
        """`GET /issue/{id}`: Jira ids are numbers (the same endpoint would also take a key)."""
        if not issue_id.isascii() or not issue_id.isdigit():
            raise NotFoundError(f"{issue_id!r} is not a Jira issue id", provider=_PROVIDER)
        return await self.get_issue(issue_id)

    async def find_text(self, text: str, limit: int, cursor: str | None) -> CandidatePage:
        """`text ~` search bounded to the project, in Jira's relevance order."""
        body: dict[str, Any] = {
            "jql": f'project = {self.container.id} AND text ~ "{escape_jql_text(text)}"',
            "fields": list(_FIELDS),
            "maxResults": limit,
        }
        if cursor:
            body["nextPageToken"] = cursor
        response = await self.client.send("POST", "/rest/api/3/search/jql", json=body)
        payload = json_body(_PROVIDER, response)
        issues = p.field(_PROVIDER, payload, "issues", kind=list)
        candidates = []
        for index, raw in enumerate(issues):
            if p.text(_PROVIDER, raw, "fields", "project", "id") != self.container.id:
                raise ProviderProtocolError(
                    f"search result {index} is outside the bounded project", provider=_PROVIDER
                )
            candidates.append(self._issue(raw).to_candidate(MatchType.text))
        is_last = p.field(_PROVIDER, payload, "isLast", kind=bool)
        next_cursor = None if is_last else p.optional_str(_PROVIDER, payload, "nextPageToken")
        return CandidatePage(candidates=candidates[:limit], next_cursor=next_cursor)

    async def transition_status(self, issue: TrackerIssue, status: StatusCategory) -> TrackerIssue:
        """Fire the transition whose destination has the wanted category (never a guess)."""
        key = issue.external_issue_key
        response = await self.client.send("GET", f"/rest/api/3/issue/{key}/transitions")
        transitions = p.field(_PROVIDER, json_body(_PROVIDER, response), "transitions", kind=list)
        for transition in transitions:
            target = p.mapping(_PROVIDER, transition, "to")
            if _category(target, resolution=None, target_name=True) == status:
                transition_id = p.text(_PROVIDER, transition, "id")
                await self.client.send(
                    "POST",
                    f"/rest/api/3/issue/{key}/transitions",
                    json={"transition": {"id": transition_id}},
                )
                return await self.get_issue(key)
        raise CapabilityNotSupportedError(
            f"no transition of {key} leads to a {status.value} status",
            capability="status_write",
            provider=_PROVIDER,
        )

    def _issue(self, payload: Any) -> TrackerIssue:
        key = p.text(_PROVIDER, payload, "key")
        fields = p.mapping(_PROVIDER, payload, "fields")
        status = p.mapping(_PROVIDER, fields, "status")
        resolution = p.optional_str(_PROVIDER, fields, "resolution", "name")
        site = (self.container.site_url or self.client.base_url).rstrip("/")
        return TrackerIssue(
            external_issue_id=p.text(_PROVIDER, payload, "id"),
            external_issue_key=key,
            title=p.text(_PROVIDER, fields, "summary"),
            status=p.text(_PROVIDER, status, "name"),
            status_category=_category(status, resolution),
            url=f"{site}/browse/{key}",
            body_markdown=adf_to_markdown(fields.get("description")),
        )


def _category(status: Any, resolution: str | None, *, target_name: bool = False) -> StatusCategory:
    key = p.text(_PROVIDER, status, "statusCategory", "key")
    category = _CATEGORY_KEYS.get(key)
    if category is None:
        raise ProviderProtocolError(f"unknown Jira status category '{key}'", provider=_PROVIDER)
    # A transition target has no resolution yet; its status name tells a "won't do" apart.
    reason = p.text(_PROVIDER, status, "name") if target_name else resolution
    if category is StatusCategory.done and reason and reason.lower() in _CANCELED_RESOLUTIONS:
        return StatusCategory.canceled
    return category
