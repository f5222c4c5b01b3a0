"""An issue's changelog, rendered from the world's events: one history per write (what one
request changed, by whom and when), one item per field it changed.

Served as `GET /issue/{key}/changelog` (paged) and as `expand=changelog` on an issue. Creating,
commenting and linking leave no item, as in Jira's changelog.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from kitty_contracts import Provider, StatusCategory
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kitty_mock_saas.tracker_fakes.world.models import EventKind, FakeTicket, TicketEvent

from .catalogue import RESOLUTIONS, status_id
from .gate import error
from .render import Call, Json, rfc3339_time, user
from .world_view import JiraWorld, priority_name

__all__ = ["JiraChangelog", "histories"]

_NO_ISSUE = "Issue does not exist or you do not have permission to see it."
_PRIORITY_IDS = {"Highest": "1", "High": "2", "Medium": "3", "Low": "4", "Lowest": "5"}


def _item(field: str, old: Any, new: Any, old_text: Any, new_text: Any) -> Json:
    """One `ChangeDetails`; a side with no value is left out (the description types each as a
    string, never null)."""
    values = {"from": old, "fromString": old_text, "to": new, "toString": new_text}
    item: Json = {"field": field, "fieldtype": "jira", "fieldId": field}
    item.update({name: str(value) for name, value in values.items() if value is not None})
    return item


def _items(event: TicketEvent, jira: JiraWorld) -> list[Json]:
    d, kind = event.details, event.kind
    if kind is EventKind.renamed:
        return [_item("summary", None, None, d.get("from"), d.get("to"))]
    if kind is EventKind.described:
        return [_item("description", None, None, d.get("from"), d.get("to"))]
    if kind in (EventKind.labeled, EventKind.unlabeled):
        label = d.get("label")
        gone = kind is EventKind.unlabeled
        return [_item("labels", None, None, label if gone else None, None if gone else label)]
    if kind in (EventKind.assigned, EventKind.unassigned, EventKind.reporter_changed):
        field = "reporter" if kind is EventKind.reporter_changed else "assignee"
        old = d.get("from") if field == "reporter" else None
        new = d.get("to") if field == "reporter" else None
        if kind is EventKind.assigned:
            new = d.get("assignee")
        elif kind is EventKind.unassigned:
            old = d.get("assignee")
        return [_item(field, old, new, _name(jira, old), _name(jira, new))]
    if kind is EventKind.prioritized:
        old, new = priority_name(d.get("from")), priority_name(d.get("to"))
        return [_item("priority", _PRIORITY_IDS.get(old or ""), _PRIORITY_IDS.get(new or ""),
                      old, new)]  # fmt: skip
    if kind is EventKind.reparented:
        old, new = (jira.world.ticket(Provider.jira, k) if k else None
                    for k in (d.get("from"), d.get("to")))  # fmt: skip
        return [_item("parent", old.id if old else None, new.id if new else None,
                      d.get("from"), d.get("to"))]  # fmt: skip
    if kind in (EventKind.transitioned, EventKind.closed, EventKind.reopened):
        items = [_item("status", status_id(d["from"]), status_id(d["to"]), d["from"], d["to"])]
        before, after = (RESOLUTIONS.get(StatusCategory(d[k])) for k in ("from_category",
                                                                          "to_category"))  # fmt: skip
        if before != after:
            items.append(_item("resolution", before and before[0], after and after[0],
                               before and before[1], after and after[1]))  # fmt: skip
        return items
    return []


def _name(jira: JiraWorld, account_id: str | None) -> str | None:
    account = jira.account(account_id)
    return account.display_name if account else None


def histories(ticket: FakeTicket, jira: JiraWorld, call: Call) -> list[Json]:
    """The issue's changelog histories, oldest first."""
    found: list[Json] = []
    events = jira.world.ticket_events(Provider.jira, ticket.key)
    for write, group in groupby(events, key=lambda e: e.write):
        changes = list(group)
        items = [item for event in changes for item in _items(event, jira)]
        if not items:
            continue
        history: Json = {"id": str(write), "created": rfc3339_time(changes[0].at), "items": items}
        author = user(jira.account(changes[0].actor), call)
        if author is not None:
            history["author"] = author
        found.append(history)
    return found


class JiraChangelog:
    """`GET /issue/{key}/changelog` over one world."""

    def __init__(self, jira: JiraWorld) -> None:
        self.jira = jira

    async def page(self, request: Request, call: Call) -> Response:
        ticket = self.jira.visible(request.path_params["id_or_key"], call.account)
        if ticket is None:
            return error(404, _NO_ISSUE)
        try:
            start = max(0, int(request.query_params.get("startAt", "0")))
            size = max(1, min(int(request.query_params.get("maxResults", "100")), 100))
        except ValueError:
            return error(400, "The startAt and maxResults parameters must be numbers.")
        everything = histories(ticket, self.jira, call)
        page = everything[start : start + size]
        body: Json = {
            "self": str(request.url),
            "startAt": start,
            "maxResults": size,
            "total": len(everything),
            "isLast": start + size >= len(everything),
            "values": page,
        }
        return JSONResponse(body)
