"""Issue links: `POST /issueLink` and `GET /issueLinkType` (`render` shows an issue's links).

A link is kept as the world keeps it (`from_key` <type name> `to_key`); the request's
`inwardIssue` is the `from` end, so `{"type": {"name": "Blocks"}, "inwardIssue": A,
"outwardIssue": B}` reads "A blocks B" from A and "B is blocked by A" from B.
"""

from __future__ import annotations

import json
from typing import Any

from kitty_contracts import Provider
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kitty_mock_saas.tracker_fakes.world.models import FakeTicket, TicketLink

from .catalogue import LINK_TYPES
from .gate import error
from .render import Call, link_type
from .world_view import JiraWorld

__all__ = ["JiraLinks"]

_BAD_PAYLOAD = "Invalid request payload. Refer to the REST API documentation and try again."


class JiraLinks:
    """The link endpoints over one world."""

    def __init__(self, jira: JiraWorld) -> None:
        self.jira = jira

    async def types(self, request: Request, call: Call) -> Response:
        return JSONResponse({"issueLinkTypes": [link_type(row[0], call) for row in LINK_TYPES]})

    async def create(self, request: Request, call: Call) -> Response:
        try:
            body: Any = json.loads(await request.body() or b"null")
        except ValueError:
            body = None
        if not isinstance(body, dict) or not all(
            isinstance(body.get(part), dict) for part in ("type", "inwardIssue", "outwardIssue")
        ):
            return error(400, _BAD_PAYLOAD)
        wanted = str(body["type"].get("name") or body["type"].get("id") or "")
        kind = link_type(wanted, call)
        if kind is None:
            return error(404, f"No issue link type with name '{wanted}' found.")
        ends: list[FakeTicket] = []
        for part in ("inwardIssue", "outwardIssue"):
            named = str(body[part].get("key") or body[part].get("id") or "")
            found = self.jira.visible(named, call.account)
            if found is None:
                return error(404, f"Issue Does Not Exist: {named}")
            ends.append(found)
        source, target = ends
        if source.key == target.key:
            return error(400, "You cannot link an issue to itself.")
        added: TicketLink = self.jira.world.add_link(
            Provider.jira, source.key, target.key, kind["name"], author=call.account
        )
        headers = {"Location": f"{call.api}/issueLink/{added.id}"}
        # The description documents a JSON body (any schema) for the 201.
        return JSONResponse({}, status_code=201, headers=headers)
