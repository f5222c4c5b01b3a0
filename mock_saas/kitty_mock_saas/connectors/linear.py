"""Linear (GraphQL) connector.

Exact key: `issues(filter: {team: {id}, number})` when the key's prefix is the bound team's
key; otherwise `issue(id:)` (old identifiers survive team-key renames) plus a team check.
Text: `searchIssues` with a team *filter*, because its `teamId` argument only boosts ranking.
Status comes from `state.type`; writing it moves the issue (`issueUpdate`) to the team's workflow
state of the wanted type with the lowest position. GraphQL errors are checked on every answer, HTTP 200
included: `RATELIMITED` becomes `RateLimitedError`, authentication errors
`AuthenticationFailedError`, "Entity not found" `NotFoundError`.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime
from typing import Any

import httpx
from kitty_contracts import MatchType, Provider, StatusCategory

from . import _payload as p
from ._http import json_body
from .base import CandidatePage, Capabilities, TaskTrackerConnector, TrackerIssue
from .errors import (
    AuthenticationFailedError,
    CapabilityNotSupportedError,
    ConnectorError,
    InvalidQueryError,
    NotFoundError,
    OutOfScopeError,
    PermissionDeniedError,
    ProviderProtocolError,
    RateLimitedError,
)
from .retry import rate_limit_delay

__all__ = ["LINEAR_QUERIES", "LINEAR_STATE_DOCUMENTS", "LinearConnector"]

log = logging.getLogger(__name__)
_PROVIDER = Provider.linear
_KEY = re.compile(r"^(?P<team>[A-Z][A-Z0-9]{0,9})-(?P<number>[1-9][0-9]*)$")
_STATE_TYPES = {
    "triage": StatusCategory.todo,
    "backlog": StatusCategory.todo,
    "unstarted": StatusCategory.todo,
    "started": StatusCategory.in_progress,
    "completed": StatusCategory.done,
    "canceled": StatusCategory.canceled,
    "duplicate": StatusCategory.canceled,
}
# The state types a written status may take, best first: "todo" is a Todo (unstarted) state
# where the team has one; "duplicate" is never chosen for canceled, it says more than canceled.
_WRITE_TYPES = {
    StatusCategory.todo: ("unstarted", "backlog", "triage"),
    StatusCategory.in_progress: ("started",),
    StatusCategory.done: ("completed",),
    StatusCategory.canceled: ("canceled",),
}

_ISSUE_FIELDS = """
fragment IssueFields on Issue {
  id
  identifier
  title
  description
  url
  state { name type }
  team { key }
}
"""
TEAM_ISSUE_BY_NUMBER = (
    """
query TeamIssueByNumber($teamId: ID!, $number: Float!) {
  issues(filter: { team: { id: { eq: $teamId } }, number: { eq: $number } }, first: 1) {
    nodes { ...IssueFields }
    pageInfo { hasNextPage endCursor }
  }
}
"""
    + _ISSUE_FIELDS
)
ISSUE_BY_ID = (
    """
query IssueById($id: String!) {
  issue(id: $id) { ...IssueFields }
}
"""
    + _ISSUE_FIELDS
)
SEARCH_ISSUES = """
query SearchIssues($term: String!, $filter: IssueFilter, $first: Int, $after: String) {
  searchIssues(term: $term, filter: $filter, first: $first, after: $after) {
    nodes { id identifier title description url state { name type } team { key } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}
"""
TEAM_WORKFLOW_STATES = """
query TeamWorkflowStates($teamId: ID!) {
  workflowStates(filter: { team: { id: { eq: $teamId } } }, first: 250) {
    nodes { id name type position }
  }
}
"""
UPDATE_ISSUE_STATE = (
    """
mutation UpdateIssueState($id: String!, $stateId: String!) {
  issueUpdate(id: $id, input: { stateId: $stateId }) {
    success
    issue { ...IssueFields }
  }
}
"""
    + _ISSUE_FIELDS
)
LINEAR_QUERIES = {
    "TeamIssueByNumber": TEAM_ISSUE_BY_NUMBER,
    "IssueById": ISSUE_BY_ID,
    "SearchIssues": SEARCH_ISSUES,
}
# Documents that read or write workflow states (status write-back).
LINEAR_STATE_DOCUMENTS = {
    "TeamWorkflowStates": TEAM_WORKFLOW_STATES,
    "UpdateIssueState": UPDATE_ISSUE_STATE,
}


class LinearConnector(TaskTrackerConnector):
    """A Linear team (`ContainerRef.key` = team key, `id` = team UUID)."""

    provider = _PROVIDER
    # Every Linear team has states of each type by default; a team that deleted all states of
    # one type answers CapabilityNotSupportedError for it (`transition_status`).
    capabilities = Capabilities(writable_status_categories=frozenset(StatusCategory))

    @classmethod
    def auth_headers(cls, secret: str, *, email: str | None = None) -> dict[str, str]:
        """Personal API keys (`lin_api_…`) go verbatim; OAuth tokens as Bearer."""
        value = secret if secret.startswith("lin_api_") else f"Bearer {secret}"
        return {"Authorization": value, "Content-Type": "application/json"}

    def normalize_key(self, key: str) -> str:
        """`web-123` → `WEB-123`. Raises: InvalidQueryError for anything else."""
        normalized = key.strip().upper()
        if not _KEY.match(normalized):
            raise InvalidQueryError(
                f"query_key '{key}' is not a Linear issue identifier (expected TEAM-123).",
                provider=_PROVIDER,
            )
        return normalized

    async def get_issue(self, key: str) -> TrackerIssue:
        """The issue with identifier `key` in the bound team."""
        match = _KEY.match(key)
        assert match is not None
        if match.group("team") == self.container.key:
            data = await self._query(
                TEAM_ISSUE_BY_NUMBER,
                {"teamId": self.container.id, "number": float(match.group("number"))},
            )
            nodes = p.field(_PROVIDER, data, "issues", "nodes", kind=list)
            if not nodes:
                raise NotFoundError(f"Linear has no visible issue {key}", provider=_PROVIDER)
            node = nodes[0]
        else:
            data = await self._query(ISSUE_BY_ID, {"id": key})
            node = p.mapping(_PROVIDER, data, "issue")
        if p.text(_PROVIDER, node, "team", "key") != self.container.key:
            raise OutOfScopeError(f"{key} is not in team {self.container.key}", provider=_PROVIDER)
        return _issue(node)

    async def get_issue_by_id(self, issue_id: str, key_hint: str | None) -> TrackerIssue:
        """`issue(id:)` by the issue's UUID, then the team check."""
        data = await self._query(ISSUE_BY_ID, {"id": issue_id})
        node = p.mapping(_PROVIDER, data, "issue")
        if p.text(_PROVIDER, node, "team", "key") != self.container.key:
            raise OutOfScopeError(
                f"{p.text(_PROVIDER, node, 'identifier')} is not in team {self.container.key}",
                provider=_PROVIDER,
            )
        return _issue(node)

    async def find_text(self, text: str, limit: int, cursor: str | None) -> CandidatePage:
        """`searchIssues` filtered to the bound team, in Linear's relevance order."""
        data = await self._query(
            SEARCH_ISSUES,
            {
                "term": text,
                "first": limit,
                "after": cursor,
                "filter": {"team": {"id": {"eq": self.container.id}}},
            },
        )
        result = p.mapping(_PROVIDER, data, "searchIssues")
        candidates = []
        for node in p.field(_PROVIDER, result, "nodes", kind=list):
            if p.text(_PROVIDER, node, "team", "key") != self.container.key:
                log.warning("linear: dropped a search hit outside team %s", self.container.key)
                continue
            candidates.append(_issue(node).to_candidate(MatchType.text))
        has_next = p.field(_PROVIDER, result, "pageInfo", "hasNextPage", kind=bool)
        end = p.optional_str(_PROVIDER, result, "pageInfo", "endCursor")
        return CandidatePage(candidates=candidates[:limit], next_cursor=end if has_next else None)

    async def transition_status(self, issue: TrackerIssue, status: StatusCategory) -> TrackerIssue:
        """`issueUpdate` to the team's state of the wanted type with the lowest position."""
        data = await self._query(TEAM_WORKFLOW_STATES, {"teamId": self.container.id})
        states = p.field(_PROVIDER, data, "workflowStates", "nodes", kind=list)
        for state_type in _WRITE_TYPES[status]:
            candidates = [
                (p.field(_PROVIDER, s, "position", kind=float), p.text(_PROVIDER, s, "id"))
                for s in states
                if p.text(_PROVIDER, s, "type") == state_type
            ]
            if candidates:
                break
        else:
            raise CapabilityNotSupportedError(
                f"team {self.container.key} has no workflow state for {status.value}",
                capability="status_write",
                provider=_PROVIDER,
            )
        _, state_id = min(candidates)
        data = await self._query(
            UPDATE_ISSUE_STATE, {"id": issue.external_issue_id, "stateId": state_id}
        )
        result = p.mapping(_PROVIDER, data, "issueUpdate")
        if not p.field(_PROVIDER, result, "success", kind=bool):
            raise ProviderProtocolError(
                f"linear did not update {issue.external_issue_key}", provider=_PROVIDER
            )
        return _issue(p.mapping(_PROVIDER, result, "issue"))

    async def _query(self, document: str, variables: dict[str, Any]) -> Any:
        response = await self.client.send(
            "POST",
            "",
            json={"query": document, "variables": variables},
            classify=_classify,
        )
        return p.mapping(_PROVIDER, json_body(_PROVIDER, response), "data")


def _classify(response: httpx.Response, now: datetime) -> ConnectorError | None:
    """Map GraphQL `errors` (on any HTTP status, 200 included) to the taxonomy."""
    if b'"errors"' not in response.content:
        return None  # no errors member, so nothing to classify: spare a second JSON parse
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    errors = body.get("errors") if isinstance(body, dict) else None
    if not errors or not isinstance(errors, list) or not isinstance(errors[0], dict):
        return None
    first = errors[0]
    raw_extensions = first.get("extensions")
    extensions: dict[str, Any] = raw_extensions if isinstance(raw_extensions, dict) else {}
    code = str(extensions.get("code") or "").upper()
    kind = str(extensions.get("type") or "").lower()
    message = str(extensions.get("userPresentableMessage") or first.get("message") or "")
    common: dict[str, Any] = {
        "provider": _PROVIDER,
        "status_code": response.status_code,
        "provider_code": code or kind or None,
    }
    if code == "RATELIMITED" or kind == "ratelimited":
        return RateLimitedError(
            "linear rate limit exhausted",
            retry_after=rate_limit_delay(response.headers, now),
            **common,
        )
    if code == "AUTHENTICATION_ERROR" or kind == "authentication error":
        return AuthenticationFailedError("linear rejected the credential", **common)
    if code == "FORBIDDEN" or kind == "forbidden":
        return PermissionDeniedError("linear denied access", **common)
    if code in ("GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"):
        # Our own document is wrong for this schema: a protocol bug, not a user error.
        return ProviderProtocolError(f"linear refused the query document: {message}", **common)
    if "entity not found" in str(first.get("message", "")).lower():
        return NotFoundError("linear has no such entity", **common)
    if code in ("INPUT_ERROR", "INVALID_INPUT") or kind == "invalid input":
        return InvalidQueryError(f"linear rejected the query: {message}", **common)
    if response.status_code not in (200, 400):
        return None  # an HTTP failure (401, 5xx, ...): the status says more than the body
    return ProviderProtocolError(f"linear answered a GraphQL error: {message}", **common)


def _issue(node: Any) -> TrackerIssue:
    state_type = p.text(_PROVIDER, node, "state", "type")
    category = _STATE_TYPES.get(state_type)
    if category is None:
        raise ProviderProtocolError(f"unknown Linear state type '{state_type}'", provider=_PROVIDER)
    return TrackerIssue(
        external_issue_id=p.text(_PROVIDER, node, "id"),
        external_issue_key=p.text(_PROVIDER, node, "identifier"),
        title=p.text(_PROVIDER, node, "title"),
        status=p.text(_PROVIDER, node, "state", "name"),
        status_category=category,
        url=p.text(_PROVIDER, node, "url"),
        body_markdown=p.optional_str(_PROVIDER, node, "description"),
    )
