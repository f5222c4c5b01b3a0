"""An issue's comments: `GET|POST /issue/{key}/comment` and `GET /issue/{key}/comment/{id}`."""

from __future__ import annotations

import json
from typing import Any

from kitty_contracts import Provider
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .edits import body_text
from .gate import error, field_errors
from .render import Call, comment
from .world_view import JiraWorld

__all__ = ["JiraComments"]

_NO_ISSUE = "Issue does not exist or you do not have permission to see it."
_EMPTY = "Comment body can not be empty!"
_ORDERS = {"created": False, "+created": False, "-created": True}


class JiraComments:
    """The comment endpoints over one world."""

    def __init__(self, jira: JiraWorld) -> None:
        self.jira = jira

    async def list_or_add(self, request: Request, call: Call) -> Response:
        ticket = self.jira.visible(request.path_params["id_or_key"], call.account)
        if ticket is None:
            return error(404, _NO_ISSUE)
        if request.method == "POST":
            return await self._add(request, call, ticket.key)
        query = request.query_params
        try:
            start = max(0, int(query.get("startAt", "0")))
            size = max(0, min(int(query.get("maxResults", "5000")), 5000))
        except ValueError:
            return error(400, "The startAt and maxResults parameters must be numbers.")
        order = query.get("orderBy", "created")
        if order not in _ORDERS:
            return error(400, f"The order by value '{order}' is not supported.")
        found = self.jira.comments(ticket)
        if _ORDERS[order]:
            found.reverse()
        page = found[start : start + size]
        return JSONResponse(
            {
                "startAt": start,
                "maxResults": size,
                "total": len(found),
                "comments": [comment(c, self.jira, call, ticket) for c in page],
            }
        )

    async def one(self, request: Request, call: Call) -> Response:
        ticket = self.jira.visible(request.path_params["id_or_key"], call.account)
        if ticket is None:
            return error(404, _NO_ISSUE)
        wanted = request.path_params["comment_id"]
        found = next((c for c in self.jira.comments(ticket) if c.id == wanted), None)
        if found is None:
            return error(404, f"Can not find a comment for the id: {wanted}.")
        return JSONResponse(comment(found, self.jira, call, ticket))

    async def _add(self, request: Request, call: Call, key: str) -> Response:
        try:
            body: Any = json.loads(await request.body() or b"null")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return error(400, "Invalid request payload. Refer to the REST API documentation.")
        text = body_text(body.get("body"), call)
        if text is False:
            return field_errors({"comment": "Comment body is not valid!"})
        if not isinstance(text, str) or not text.strip():
            return field_errors({"comment": _EMPTY})
        added = self.jira.world.add_comment(Provider.jira, key, call.account, text)
        ticket = self.jira.visible(key, call.account)
        assert ticket is not None  # seen a moment ago
        return JSONResponse(comment(added, self.jira, call, ticket), status_code=201)
