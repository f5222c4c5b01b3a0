"""What one edit of a ticket changes: the new column values and the events they make.

Pure functions over a `FakeTicket` and the requested values; `TicketEdits` runs them inside its
write transaction, after the labels were spelled as the catalogue spells them.
"""

from __future__ import annotations

import json
from typing import Any

from kitty_contracts import Provider, StatusCategory

from .events import Change
from .models import EventKind, FakeTicket

__all__ = ["EDITABLE_FIELDS", "OPEN_CATEGORIES", "default_status", "planned_changes"]

EDITABLE_FIELDS = frozenset(
    {
        "title",
        "body_markdown",
        "status_category",
        "status_name",
        "state_reason",
        "restricted_to",
        "deleted",
        "labels",
        "assignee",
        "reporter",
        "priority",
        "parent_key",
    }
)
OPEN_CATEGORIES = frozenset({StatusCategory.todo, StatusCategory.in_progress})
# Linear's scale: 0 none, 1 urgent, 2 high, 3 medium, 4 low.
PRIORITIES = range(5)

# The status a tracker shows for a category when an edit names none: (name, state_reason).
_DEFAULT_STATUSES: dict[Provider, dict[StatusCategory, tuple[str, str | None]]] = {
    Provider.jira: {
        StatusCategory.todo: ("To Do", None),
        StatusCategory.in_progress: ("In Progress", None),
        StatusCategory.done: ("Done", None),
        StatusCategory.canceled: ("Won't Do", None),
    },
    Provider.linear: {
        StatusCategory.todo: ("Todo", None),
        StatusCategory.in_progress: ("In Progress", None),
        StatusCategory.done: ("Done", None),
        StatusCategory.canceled: ("Canceled", None),
    },
    # GitHub has open and closed; a reason tells completed from not planned.
    Provider.github: {
        StatusCategory.todo: ("Open", None),
        StatusCategory.in_progress: ("Open", None),
        StatusCategory.done: ("Closed", "completed"),
        StatusCategory.canceled: ("Closed as not planned", "not_planned"),
    },
}


def default_status(provider: Provider, category: StatusCategory) -> tuple[str, str | None]:
    """The status name (and GitHub state reason) `provider` shows for `category`."""
    return _DEFAULT_STATUSES[provider][category]


def check_priority(priority: Any) -> int | None:
    """`priority` if it is on Linear's scale (or None); ValueError otherwise."""
    if priority is None:
        return None
    if isinstance(priority, bool) or not isinstance(priority, int) or priority not in PRIORITIES:
        raise ValueError(f"priority must be 0 to 4 or None, not {priority!r}")
    return priority


def check_title(title: Any) -> str:
    """`title` if it is a non-blank string; ValueError otherwise."""
    if not isinstance(title, str) or not title.strip():
        raise ValueError("a ticket needs a non-blank title")
    return title


def planned_changes(
    ticket: FakeTicket, values: dict[str, Any]
) -> tuple[dict[str, Any], list[Change]]:
    """The columns to set and the events of applying `values` to `ticket`.

    `values` holds only fields of `EDITABLE_FIELDS`, labels spelled as the catalogue does,
    accounts and parent already checked. Only what really changes makes an event.
    """
    columns: dict[str, Any] = {}
    events: list[Change] = []
    if "title" in values:
        title = check_title(values["title"])
        columns["title"] = title
        if title != ticket.title:
            events.append((EventKind.renamed, {"from": ticket.title, "to": title}))
    if "body_markdown" in values:
        body = values["body_markdown"]
        columns["body_markdown"] = body
        if body != ticket.body_markdown:
            events.append((EventKind.described, {"from": ticket.body_markdown, "to": body}))
    if {"status_category", "status_name", "state_reason"} & values.keys():
        events += _status(ticket, values, columns)
    if "restricted_to" in values:
        restricted = values["restricted_to"]
        columns["restricted_to"] = None if restricted is None else json.dumps(list(restricted))
    if "deleted" in values:
        columns["deleted"] = int(bool(values["deleted"]))
    if "labels" in values:
        labels = list(values["labels"])
        columns["labels"] = json.dumps(labels)
        had = {label.casefold() for label in ticket.labels}
        has = {label.casefold() for label in labels}
        events += [
            (EventKind.unlabeled, {"label": x}) for x in ticket.labels if x.casefold() not in has
        ]
        events += [(EventKind.labeled, {"label": x}) for x in labels if x.casefold() not in had]
    if "assignee" in values and values["assignee"] != ticket.assignee:
        columns["assignee"] = values["assignee"]
        if ticket.assignee is not None:
            events.append((EventKind.unassigned, {"assignee": ticket.assignee}))
        if values["assignee"] is not None:
            events.append((EventKind.assigned, {"assignee": values["assignee"]}))
    if "reporter" in values and values["reporter"] != ticket.reporter:
        columns["reporter"] = values["reporter"]
        events.append(
            (EventKind.reporter_changed, {"from": ticket.reporter, "to": values["reporter"]})
        )
    if "priority" in values:
        priority = check_priority(values["priority"])
        columns["priority"] = priority
        if priority != ticket.priority:
            events.append((EventKind.prioritized, {"from": ticket.priority, "to": priority}))
    if "parent_key" in values and values["parent_key"] != ticket.parent_key:
        columns["parent_key"] = values["parent_key"]
        events.append(
            (EventKind.reparented, {"from": ticket.parent_key, "to": values["parent_key"]})
        )
    return columns, events


def _status(ticket: FakeTicket, values: dict[str, Any], columns: dict[str, Any]) -> list[Change]:
    category = StatusCategory(values.get("status_category", ticket.status_category))
    if "status_category" in values or "status_name" in values:
        name, reason = default_status(ticket.provider, category)
        name = values.get("status_name") or name
    else:
        name, reason = ticket.status_name, ticket.state_reason
    reason = values.get("state_reason", reason)
    columns["status_category"] = category.value
    columns["status_name"] = name
    columns["state_reason"] = reason
    if (name, category, reason) == (
        ticket.status_name,
        ticket.status_category,
        ticket.state_reason,
    ):
        return []
    was_open, is_open = ticket.status_category in OPEN_CATEGORIES, category in OPEN_CATEGORIES
    kind = (
        EventKind.closed
        if was_open and not is_open
        else EventKind.reopened
        if is_open and not was_open
        else EventKind.transitioned
    )
    details = {
        "from": ticket.status_name,
        "to": name,
        "from_category": ticket.status_category.value,
        "to_category": category.value,
        "state_reason": reason,
    }
    return [(kind, details)]
