"""A fake Jira Cloud (REST v3) over the shared `TrackerWorld`.

Serves `GET /rest/api/3/issue/{idOrKey}`, `GET|POST /rest/api/3/search/jql` (bounded JQL
with `project`, `key`, `text ~` and `summary ~` clauses, `nextPageToken` paging, `fields`
defaulting to `id`), issue transitions, and a 410 for the removed `/rest/api/3/search`.
Descriptions are ADF; status categories follow the workflow, names may be localized.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from kitty_contracts import Provider, StatusCategory
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._common import FakeFaults, Json, PayloadHook, decode_cursor, encode_cursor, request_token
from .markdown_adf import markdown_to_adf
from .world.models import Container, FakeTicket
from .world.store import SearchField, TrackerWorld

__all__ = ["create_jira_fake", "jira_issue_payload"]

_ALL_FIELDS = (
    "summary",
    "status",
    "description",
    "project",
    "resolution",
    "issuetype",
    "created",
    "updated",
)
# (id, key, colorName, English name); German sites localize the name, never the key.
_CATEGORIES = {
    StatusCategory.todo: (2, "new", "blue-gray", "To Do"),
    StatusCategory.in_progress: (4, "indeterminate", "yellow", "In Progress"),
    StatusCategory.done: (3, "done", "green", "Done"),
    StatusCategory.canceled: (3, "done", "green", "Done"),
}
_GERMAN_STATUSES = {"In Arbeit", "Zu erledigen", "Erledigt"}
_GERMAN_CATEGORY_NAMES = {"new": "Zu erledigen", "indeterminate": "In Arbeit", "done": "Fertig"}
_STATUS_IDS = {
    "To Do": "10000",
    "In Progress": "3",
    "In Review": "10001",
    "Done": "10002",
    "Won't Do": "10003",
    "In Arbeit": "10004",
}
_RESOLUTIONS = {
    StatusCategory.done: ("10000", "Done", "Work has been completed on this issue."),
    StatusCategory.canceled: ("10001", "Won't Do", "This issue won't be actioned."),
}
# The workflow every fake project uses: transition id, target status and its category.
_WORKFLOW = (
    ("11", "To Do", StatusCategory.todo),
    ("21", "In Progress", StatusCategory.in_progress),
    ("31", "Done", StatusCategory.done),
    ("41", "Won't Do", StatusCategory.canceled),
)
_CLAUSE = re.compile(
    r'^\s*(?P<field>\w+)\s*(?P<op>=|~)\s*(?P<value>"(?:[^"\\]|\\.)*"|[\w.-]+)\s*$', re.IGNORECASE
)
_LUCENE_ESCAPE = re.compile(r"\\(.)")


def create_jira_fake(
    world: TrackerWorld,
    *,
    faults: FakeFaults | None = None,
    payload_hook: PayloadHook | None = None,
) -> Starlette:
    """The fake Jira as an ASGI app; `faults` switches misbehaviour at run time."""
    fake = _JiraFake(world, faults or FakeFaults(), payload_hook)
    app = Starlette(
        routes=[
            Route("/rest/api/3/issue/{id_or_key}", fake.get_issue, methods=["GET"]),
            Route(
                "/rest/api/3/issue/{id_or_key}/transitions",
                fake.transitions,
                methods=["GET", "POST"],
            ),
            Route("/rest/api/3/search/jql", fake.search_jql, methods=["GET", "POST"]),
            Route("/rest/api/3/search", fake.legacy_search, methods=["GET", "POST"]),
        ]
    )
    app.state.faults = fake.faults
    return app


def _error(status: int, *messages: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"errorMessages": list(messages), "errors": {}}, status_code=status, headers=headers
    )


class _JiraFake:
    def __init__(
        self, world: TrackerWorld, faults: FakeFaults, payload_hook: PayloadHook | None
    ) -> None:
        self.world, self.faults, self.hook = world, faults, payload_hook

    def _gate(self, request: Request) -> str | Response:
        """The caller's account id, or the error answer (faults first, as a proxy would)."""
        failure = self.faults.next_failure()
        if failure is not None:
            return _error(failure, "Injected failure")
        if self.faults.take_rate_limit():
            reset = datetime.fromtimestamp(
                datetime.now(UTC).timestamp() + self.faults.retry_after, UTC
            ).strftime("%Y-%m-%dT%H:%MZ")
            return _error(
                429,
                "Rate limit exceeded.",
                headers={
                    "Retry-After": str(self.faults.retry_after),
                    "X-RateLimit-Limit": "100",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": reset,
                    "RateLimit-Reason": "jira-burst-based",
                },
            )
        token = request_token(request)
        account = self.world.account_for_token(Provider.jira, token) if token else None
        if account is None:
            return _error(401, "Client must be authenticated to access this resource.")
        return account

    def _visible(self, id_or_key: str, account: str) -> FakeTicket | None:
        ticket = (
            self.world.ticket_by_id(Provider.jira, id_or_key)
            if id_or_key.isdigit()
            else self.world.ticket(Provider.jira, id_or_key.upper())
        )
        if ticket is None or ticket.deleted or not ticket.visible_to(account):
            return None
        return ticket

    def _payload(self, kind: str, payload: Json) -> Json:
        return self.hook(kind, payload) if self.hook else payload

    async def get_issue(self, request: Request) -> Response:
        account = self._gate(request)
        if isinstance(account, Response):
            return account
        ticket = self._visible(request.path_params["id_or_key"], account)
        if ticket is None:
            return _error(404, "Issue does not exist or you do not have permission to see it.")
        fields = _field_list(request.query_params.get("fields")) or list(_ALL_FIELDS)
        container = self.world.container(Provider.jira, id=ticket.container_id)
        assert container is not None
        payload = jira_issue_payload(ticket, container, _base(request), fields)
        return JSONResponse(self._payload("issue", payload))

    async def search_jql(self, request: Request) -> Response:
        account = self._gate(request)
        if isinstance(account, Response):
            return account
        if request.method == "POST":
            body: Json = await request.json()
        else:
            body = dict(request.query_params)
        jql = str(body.get("jql", ""))
        raw_fields = body.get("fields", ["id"])
        fields = raw_fields if isinstance(raw_fields, list) else _field_list(str(raw_fields))
        max_results = max(1, min(int(body.get("maxResults", 50)), 100))
        parsed = _parse_jql(jql)
        if isinstance(parsed, Response):
            return parsed
        project = self.world.container(
            Provider.jira, key=parsed.get("project", "").upper()
        ) or self.world.container(Provider.jira, id=parsed.get("project", ""))
        if project is None:
            return _error(
                400, f"The value '{parsed.get('project')}' does not exist for the field 'project'."
            )
        offset = 0
        if body.get("nextPageToken"):
            decoded = decode_cursor(str(body["nextPageToken"]), jql)
            if decoded is None:
                return _error(400, "The provided next page token is invalid or expired.")
            offset = decoded
        if "key" in parsed:
            found = self.world.ticket(Provider.jira, parsed["key"].upper())
            if found is None or found.deleted or not found.visible_to(account):
                return _error(
                    400, f"An issue with key '{parsed['key']}' does not exist for field 'key'."
                )
            tickets = [found] if found.container_id == project.id and offset == 0 else []
            more = False
        elif "text" in parsed or "summary" in parsed:
            field: SearchField = "title" if "summary" in parsed else "all"
            text = _unescape_lucene(parsed.get("text") or parsed.get("summary", ""))
            hits = self.world.search(
                Provider.jira,
                project.id,
                text,
                account_id=account,
                limit=max_results,
                offset=offset,
                field=field,
            )
            tickets, more = hits.tickets, offset + len(hits.tickets) < hits.total
        else:
            return _error(
                400,
                "Error in the JQL Query: this fake supports project, key, text "
                "and summary clauses.",
            )
        base = _base(request)
        issues = [jira_issue_payload(t, project, base, fields) for t in tickets]
        result: Json = {"issues": issues, "isLast": not more}
        if more:
            result["nextPageToken"] = encode_cursor(offset + len(tickets), jql)
        return JSONResponse(self._payload("search", result))

    async def transitions(self, request: Request) -> Response:
        account = self._gate(request)
        if isinstance(account, Response):
            return account
        ticket = self._visible(request.path_params["id_or_key"], account)
        if ticket is None:
            return _error(404, "Issue does not exist or you do not have permission to see it.")
        base = _base(request)
        if request.method == "GET":
            return JSONResponse(
                {
                    "transitions": [
                        {
                            "id": tid,
                            "name": name,
                            "to": _status(name, category, base),
                            "hasScreen": False,
                            "isGlobal": True,
                            "isInitial": False,
                            "isAvailable": True,
                            "isConditional": False,
                            "isLooped": False,
                        }
                        for tid, name, category in _WORKFLOW
                    ]
                }
            )
        body = await request.json()
        wanted = str((body.get("transition") or {}).get("id", ""))
        match = next((row for row in _WORKFLOW if row[0] == wanted), None)
        if match is None:
            return _error(400, f"Transition id '{wanted}' is not valid for this issue.")
        self.world.update_status(
            Provider.jira,
            ticket.key,
            status_name=match[1],
            status_category=match[2],
            state_reason=None,
            updated_at=datetime.now(UTC),
            actor=account,
        )
        return Response(status_code=204)

    async def legacy_search(self, request: Request) -> Response:
        return _error(
            410,
            "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.",
        )


def jira_issue_payload(
    ticket: FakeTicket, project: Container, base: str, fields: Sequence[str]
) -> Json:
    """An `IssueBean` for `ticket` with the requested `fields` (`*all`/`*navigable` = all)."""
    wanted = set(_ALL_FIELDS) if {"*all", "*navigable"} & set(fields) else set(fields)
    available: dict[str, Any] = {
        "summary": ticket.title,
        "status": _status(ticket.status_name, ticket.status_category, base),
        "description": markdown_to_adf(ticket.body_markdown),
        "project": {
            "self": f"{base}/rest/api/3/project/{project.id}",
            "id": project.id,
            "key": project.key,
            "name": project.name,
            "projectTypeKey": "software",
            "simplified": False,
        },
        "resolution": _resolution(ticket.status_category, base),
        "issuetype": {
            "self": f"{base}/rest/api/3/issuetype/10001",
            "id": "10001",
            "name": "Task",
            "subtask": False,
            "hierarchyLevel": 0,
        },
        "created": _jira_time(ticket.created_at),
        "updated": _jira_time(ticket.updated_at),
    }
    chosen = {name: value for name, value in available.items() if name in wanted}
    if wanted == {"id"}:
        return {"id": ticket.id}
    return {
        "expand": "renderedFields,names,schema,operations,editmeta,changelog",
        "id": ticket.id,
        "self": f"{base}/rest/api/3/issue/{ticket.id}",
        "key": ticket.key,
        "fields": chosen,
    }


def _status(name: str, category: StatusCategory, base: str) -> Json:
    category_id, key, color, category_name = _CATEGORIES[category]
    if name in _GERMAN_STATUSES:
        category_name = _GERMAN_CATEGORY_NAMES[key]
    status_id = _STATUS_IDS.get(name) or str(
        10100 + int(hashlib.sha256(name.encode()).hexdigest()[:4], 16) % 900
    )
    return {
        "self": f"{base}/rest/api/3/status/{status_id}",
        "description": "",
        "iconUrl": f"{base}/images/icons/statuses/generic.png",
        "name": name,
        "id": status_id,
        "statusCategory": {
            "self": f"{base}/rest/api/3/statuscategory/{category_id}",
            "id": category_id,
            "key": key,
            "colorName": color,
            "name": category_name,
        },
    }


def _resolution(category: StatusCategory, base: str) -> Json | None:
    if category not in _RESOLUTIONS:
        return None
    resolution_id, name, description = _RESOLUTIONS[category]
    return {
        "self": f"{base}/rest/api/3/resolution/{resolution_id}",
        "id": resolution_id,
        "description": description,
        "name": name,
    }


def _parse_jql(jql: str) -> dict[str, str] | Response:
    body = re.split(r"\border\s+by\b", jql, maxsplit=1, flags=re.IGNORECASE)[0]
    clauses: dict[str, str] = {}
    for part in re.split(r"\s+AND\s+", body.strip(), flags=re.IGNORECASE):
        match = _CLAUSE.match(part)
        if match is None:
            return _error(400, f"Error in the JQL Query: cannot parse '{part.strip()}'.")
        name = match.group("field").lower()
        name = "key" if name == "issuekey" else name
        value = match.group("value")
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        op_ok = (match.group("op") == "~") == (name in ("text", "summary"))
        if name not in ("project", "key", "text", "summary") or not op_ok:
            return _error(400, f"Error in the JQL Query: unsupported clause '{part.strip()}'.")
        clauses[name] = value
    if "project" not in clauses:
        return _error(
            400,
            "Unbounded JQL queries are not allowed here. Please add a search "
            "restriction to your query.",
        )
    return clauses


def _unescape_lucene(text: str) -> str:
    return _LUCENE_ESCAPE.sub(r"\1", text)


def _field_list(raw: str | None) -> list[str]:
    return [name.strip() for name in (raw or "").split(",") if name.strip()]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _jira_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
