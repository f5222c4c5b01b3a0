"""One issue of the fake Jira: get, edit (`PUT`), create, comments and workflow transitions."""

from __future__ import annotations

import json
from typing import Any

from kitty_contracts import Provider
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kitty_mock_saas.tracker_fakes._common import PayloadHook
from kitty_mock_saas.tracker_fakes.world.models import FakeTicket

from .catalogue import FIELD_NAMES, WORKFLOW
from .changelog import histories
from .edits import read_changes
from .gate import error, field_errors
from .render import Call, Json, issue_bean, selected_fields, status
from .world_view import JiraWorld
from .writes import WorldWrite, create_ticket, resolve

__all__ = ["JiraIssues"]

_NO_ISSUE = "Issue does not exist or you do not have permission to see it."
_BAD_PAYLOAD = "Invalid request payload. Refer to the REST API documentation and try again."
# Fields an edit may set; any other is refused as Jira refuses a field not on the edit screen.
_EDITABLE = frozenset(
    {"summary", "description", "labels", "priority", "assignee", "reporter", "parent", "issuetype"}
)
_CREATABLE = _EDITABLE | {"project"}


class JiraIssues:
    """The issue endpoints over one world."""

    def __init__(self, jira: JiraWorld, hook: PayloadHook | None) -> None:
        self.jira, self.hook = jira, hook

    def _issue(self, request: Request, call: Call) -> FakeTicket | None:
        return self.jira.visible(request.path_params["id_or_key"], call.account)

    async def get(self, request: Request, call: Call) -> Response:
        ticket = self._issue(request, call)
        if ticket is None:
            return error(404, _NO_ISSUE)
        fields = selected_fields(request.query_params.getlist("fields"), "*all")
        body = issue_bean(ticket, self.jira, call, fields | {"key"})
        expand = request.query_params.get("expand", "").split(",")
        if "names" in expand:
            body["names"] = {
                f: FIELD_NAMES[f] for f in sorted(body.get("fields", {})) if f in FIELD_NAMES
            }
        if "transitions" in expand:
            body["transitions"] = _transitions(call)
        if "changelog" in expand:
            found = histories(ticket, self.jira, call)
            body["changelog"] = {"startAt": 0, "maxResults": len(found), "total": len(found),
                                 "histories": found}  # fmt: skip
        return JSONResponse(self.hook("issue", body) if self.hook else body)

    async def edit(self, request: Request, call: Call) -> Response:
        ticket = self._issue(request, call)
        if ticket is None:
            return error(404, _NO_ISSUE)
        body = await _json(request)
        if body is None:
            return error(400, _BAD_PAYLOAD)
        write = resolve(
            read_changes(body, call, settable=_EDITABLE), self.jira, call.account, ticket
        )
        if write.errors:
            return field_errors(write.errors)
        refused = self._apply(ticket, write, call.account)
        if refused is not None:
            return refused
        if request.query_params.get("returnIssue", "").lower() == "true":
            fresh = self.jira.visible(ticket.id, call.account)
            assert fresh is not None
            return JSONResponse(issue_bean(fresh, self.jira, call, {"*all"}))
        return Response(status_code=204)

    async def assign(self, request: Request, call: Call) -> Response:
        """`PUT /issue/{key}/assignee` with `{"accountId": ...}` (null unassigns)."""
        ticket = self._issue(request, call)
        if ticket is None:
            return error(404, _NO_ISSUE)
        body = await _json(request)
        if not isinstance(body, dict) or not isinstance(body.get("accountId"), str | None):
            return error(400, _BAD_PAYLOAD)
        changes = read_changes({"fields": {"assignee": body}}, call, settable=_EDITABLE)
        write = resolve(changes, self.jira, call.account, ticket)
        if write.errors:
            return field_errors(write.errors)
        refused = self._apply(ticket, write, call.account)
        return refused or Response(status_code=204)

    async def transitions(self, request: Request, call: Call) -> Response:
        ticket = self._issue(request, call)
        if ticket is None:
            return error(404, _NO_ISSUE)
        if request.method == "GET":
            return JSONResponse({"expand": "transitions", "transitions": _transitions(call)})
        body = await _json(request)
        if not isinstance(body, dict):
            return error(400, _BAD_PAYLOAD)
        wanted = (
            (body.get("transition") or {}).get("id")
            if isinstance(body.get("transition"), dict)
            else None
        )
        if wanted is None:
            return error(400, "Missing 'transition' identifier.")
        match = next((row for row in WORKFLOW if row[0] == str(wanted)), None)
        if match is None:
            return error(400, f"Transition id '{wanted}' is not valid for this issue.")
        changes = read_changes(
            {"fields": body.get("fields"), "update": body.get("update")},
            call,
            settable=_EDITABLE,
        )
        write = resolve(changes, self.jira, call.account, ticket)
        if write.errors:
            return field_errors(write.errors)
        refused = self._apply(ticket, write, call.account)
        if refused is not None:
            return refused
        self.jira.world.update_status(
            Provider.jira,
            ticket.key,
            status_name=match[1],
            status_category=match[2],
            state_reason=None,
            updated_at=self.jira.world.clock(),
            actor=call.account,
        )
        return Response(status_code=204)

    async def create(self, request: Request, call: Call) -> Response:
        body = await _json(request)
        if not isinstance(body, dict):
            return error(400, _BAD_PAYLOAD)
        changes = read_changes(body, call, settable=_CREATABLE)
        write = resolve(changes, self.jira, call.account, None)
        given = changes.values
        project = self.jira.project(given["project"]) if "project" in given else None
        if project is None and "project" not in write.errors:
            write.errors["project"] = "Specify a valid project ID or key"
        if "issuetype" not in given and "issuetype" not in write.errors:
            write.errors["issuetype"] = "Specify an issue type"
        if "title" not in write.values and "summary" not in write.errors:
            write.errors["summary"] = "You must specify a summary of the issue."
        if write.errors or project is None:
            return field_errors(write.errors)
        ticket = create_ticket(self.jira, project.key, write, call.account)
        for text in write.comments:
            self.jira.world.add_comment(Provider.jira, ticket.key, call.account, text)
        return JSONResponse(
            {"id": ticket.id, "key": ticket.key, "self": f"{call.api}/issue/{ticket.id}"},
            status_code=201,
        )

    def _apply(self, ticket: FakeTicket, write: WorldWrite, account: str) -> Response | None:
        """Write `write` to the world; Jira's answer when the world refuses it (a parent
        cycle), else None."""
        if write.values:
            try:
                self.jira.world.edit_ticket(
                    Provider.jira, ticket.key, write.changes(), actor=account
                )
            except (LookupError, ValueError) as exc:
                return error(400, str(exc))
        for text in write.comments:
            self.jira.world.add_comment(Provider.jira, ticket.key, account, text)
        return None


def _transitions(call: Call) -> list[Json]:
    return [
        {
            "id": tid,
            "name": name,
            "to": status(name, category, call),
            "hasScreen": False,
            "isGlobal": True,
            "isInitial": False,
            "isAvailable": True,
            "isConditional": False,
            "looped": False,
        }
        for tid, name, category in WORKFLOW
    ]


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body() or b"null")
    except ValueError:
        return None
