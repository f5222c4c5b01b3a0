"""JQL search: `GET|POST /search/jql` (cursor pages), `POST /search/approximate-count`, and the
410 of the removed `/search`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kitty_contracts import Provider
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kitty_mock_saas.tracker_fakes._common import PayloadHook, decode_cursor, encode_cursor
from kitty_mock_saas.tracker_fakes.world.models import FakeTicket

from .catalogue import FIELD_NAMES
from .gate import error
from .jql_search import UNBOUNDED, JqlError, SearchPlan, compile_query
from .render import Call, Json, issue_bean, selected_fields
from .text_match import TextQuery
from .world_view import JiraWorld

__all__ = ["JiraSearch"]

_REMOVED = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
    "A full migration guideline is available at "
    "https://developer.atlassian.com/changelog/#CHANGE-2046"
)
_BAD_PAYLOAD = "Invalid request payload. Refer to the REST API documentation and try again."
_BODY_FIELDS = {
    "jql", "nextPageToken", "maxResults", "fields", "expand", "properties", "fieldsByKeys",
    "failFast", "reconcileIssues",
}  # fmt: skip
_MAX_RESULTS = 5000
# Jira answers at most this many issues a page unless only ids or keys are asked for.
_FULL_PAGE = 100


@dataclass(frozen=True)
class _Params:
    jql: str
    token: str | None
    max_results: int
    fields: list[str]
    expand: str


class JiraSearch:
    """The search endpoints over one world."""

    def __init__(self, jira: JiraWorld, hook: PayloadHook | None) -> None:
        self.jira, self.hook = jira, hook

    async def search_jql(self, request: Request, call: Call) -> Response:
        params = await _params(request)
        if isinstance(params, Response):
            return params
        plan = self._plan(params.jql, call)
        if isinstance(plan, Response):
            return plan
        offset = 0
        if params.token:
            decoded = decode_cursor(params.token, params.jql)
            if decoded is None:
                return error(400, "The provided next page token is invalid or expired.")
            offset = decoded
        fields = selected_fields(params.fields, "id")
        size = (
            params.max_results if fields <= {"id", "key"} else min(params.max_results, _FULL_PAGE)
        )
        tickets, more = self._page(plan, call.account, offset, size)
        result: Json = {"issues": [issue_bean(t, self.jira, call, fields) for t in tickets]}
        if more:
            result["nextPageToken"] = encode_cursor(offset + len(tickets), params.jql)
        result["isLast"] = not more
        if "names" in params.expand.split(","):
            result["names"] = {f: FIELD_NAMES[f] for f in sorted(fields) if f in FIELD_NAMES}
        return JSONResponse(self.hook("search", result) if self.hook else result)

    async def approximate_count(self, request: Request, call: Call) -> Response:
        body = await _json_body(request)
        if not isinstance(body, dict) or not isinstance(body.get("jql", ""), str):
            return error(400, _BAD_PAYLOAD)
        plan = self._plan(str(body.get("jql", "")), call)
        if isinstance(plan, Response):
            return plan
        return JSONResponse({"count": len(self._hits(plan, call.account))})

    async def removed(self, request: Request, call: Call) -> Response:
        return error(410, _REMOVED)

    def _plan(self, jql: str, call: Call) -> SearchPlan | Response:
        try:
            plan = compile_query(jql, self.jira.jql_site(call.account, self.jira.world.clock()))
        except JqlError as exc:
            return error(400, *exc.messages)
        if not plan.bounded:
            return error(400, UNBOUNDED)
        return plan

    def _page(
        self, plan: SearchPlan, account: str, offset: int, size: int
    ) -> tuple[list[FakeTicket], bool]:
        direct = self._ranked_text_page(plan, account, offset, size)
        if direct is not None:
            return direct
        hits = self._hits(plan, account)
        return hits[offset : offset + size], offset + size < len(hits)

    def _ranked_text_page(
        self, plan: SearchPlan, account: str, offset: int, size: int
    ) -> tuple[list[FakeTicket], bool] | None:
        """`project = P AND text ~ "..."` straight from the text index, best match first (the
        query the mock's own connector sends, over corpora of any size); issues that match
        only through their comments come after the index's."""
        if not plan.index_only or plan.text is None or plan.project_ids is None:
            return None
        if len(plan.project_ids) != 1:
            return None
        field, query = plan.text
        (project_id,) = plan.project_ids
        found = self.jira.world.search(
            Provider.jira,
            project_id,
            query.index_words(),
            account_id=account,
            limit=size,
            offset=offset,
            field="title" if field == "summary" else "all",
        )
        extras = self._comment_matches(plan, account, project_id) if field == "text" else []
        page = list(found.tickets)
        if len(page) < size:
            start = max(0, offset - found.total)
            page += extras[start : start + size - len(page)]
        return page, offset + len(page) < found.total + len(extras)

    def _comment_matches(self, plan: SearchPlan, account: str, project_id: str) -> list[FakeTicket]:
        """The issues with comments that match `plan` but whose title and body alone do not
        hold the words (the index, which holds no comments, leaves them out)."""
        assert plan.text is not None
        query = plan.text[1]
        found: list[FakeTicket] = []
        for key in self.jira.world.commented_keys(Provider.jira, project_id):
            ticket = self.jira.visible(key, account)
            if ticket is None or TextQuery.parse(query.plain).matches(
                f"{ticket.title}\n{ticket.body_markdown or ''}"
            ):
                continue
            if plan.matches(self.jira.jql_issue(ticket)):
                found.append(ticket)
        return found

    def _hits(self, plan: SearchPlan, account: str) -> list[FakeTicket]:
        """Every issue `account` may see that matches, in the query's order."""
        if plan.issue_ids is not None:
            candidates = [t for i in sorted(plan.issue_ids) if (t := self.jira.visible(i, account))]
        elif plan.text is not None and plan.text[0] in ("summary", "text"):
            candidates = self._text_candidates(plan, account)
        else:
            candidates = list(self.jira.scan(account, plan.project_ids))
        projects = {p.id: p for p in self.jira.projects()}
        ticket_of = {self.jira.jql_issue(t, projects.get(t.container_id)): t for t in candidates}
        matched = [view for view in ticket_of if plan.matches(view)]
        if plan.ordered or plan.text is None:
            matched = plan.order(matched)
        return [ticket_of[view] for view in matched]

    def _text_candidates(self, plan: SearchPlan, account: str) -> list[FakeTicket]:
        """The text index's hits, best first, then the issues that match through comments."""
        assert plan.text is not None
        field, query = plan.text
        projects = plan.project_ids
        found: list[FakeTicket] = []
        for container in self.jira.projects():
            if projects is not None and container.id not in projects:
                continue
            found += self.jira.world.search(
                Provider.jira,
                container.id,
                query.index_words(),
                account_id=account,
                limit=max(1, self.jira.world.count_tickets(Provider.jira, container.key)),
                field="title" if field == "summary" else "all",
            ).tickets
            if field == "text":
                found += self._comment_matches(plan, account, container.id)
        return found


async def _json_body(request: Request) -> Any:
    try:
        return json.loads(await request.body() or b"{}")
    except ValueError:
        return None


async def _params(request: Request) -> _Params | Response:
    if request.method == "POST":
        body = await _json_body(request)
        if not isinstance(body, dict) or set(body) - _BODY_FIELDS:
            return error(400, _BAD_PAYLOAD)
        raw_fields = body.get("fields") or []
        if isinstance(raw_fields, str):
            raw_fields = [raw_fields]
        jql, token = body.get("jql", ""), body.get("nextPageToken")
        if not isinstance(jql, str) or not (token is None or isinstance(token, str)):
            return error(400, _BAD_PAYLOAD)
        max_results: Any = body.get("maxResults", 50)
        if isinstance(max_results, bool) or not isinstance(max_results, int):
            return error(400, _BAD_PAYLOAD)
        expand = body.get("expand") or ""
        fields = [str(f) for f in raw_fields] if isinstance(raw_fields, list) else []
    else:
        query = request.query_params
        jql, token = query.get("jql", ""), query.get("nextPageToken")
        fields = query.getlist("fields")
        expand = query.get("expand", "")
        try:
            max_results = int(query.get("maxResults", "50"))
        except ValueError:
            return error(400, f"The value '{query.get('maxResults')}' is not a valid number.")
    if not 1 <= max_results <= _MAX_RESULTS:
        return error(400, f"maxResults must be between 1 and {_MAX_RESULTS}.")
    return _Params(jql, token or None, max_results, fields, str(expand))
