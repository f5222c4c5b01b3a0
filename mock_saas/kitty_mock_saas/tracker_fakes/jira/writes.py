"""Turning what a client asks to change (Jira field names and values) into a world edit or a
new ticket, with Jira's per-field errors for values the site has no match for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kitty_contracts import Provider

from kitty_mock_saas.tracker_fakes.world.edits import TicketChanges
from kitty_mock_saas.tracker_fakes.world.models import FakeTicket

from .catalogue import ISSUE_TYPES
from .edits import IssueChanges
from .world_view import JiraWorld, priority_value

__all__ = ["WorldWrite", "create_ticket", "resolve"]

_BAD_TYPE = "The issue type selected is invalid."
_BAD_PRIORITY = "The priority selected is invalid."
_NO_PARENT = "Could not find issue by id or key."


@dataclass
class WorldWrite:
    """The world's spelling of a change: `TicketChanges` values, comments to add, errors."""

    values: dict[str, Any] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    def changes(self) -> TicketChanges:
        return TicketChanges.of(**self.values)


def resolve(
    changes: IssueChanges, jira: JiraWorld, account: str, current: FakeTicket | None
) -> WorldWrite:
    """`changes` checked against the site; `current` is the issue edited (None: a create)."""
    out = WorldWrite(comments=list(changes.comments), errors=dict(changes.errors))
    given = changes.values
    if "summary" in given:
        out.values["title"] = given["summary"]
    if "description" in given:
        out.values["body_markdown"] = given["description"]
    if "labels" in given or changes.label_ops:
        labels = list(given.get("labels", current.labels if current else ()))
        for verb, label in changes.label_ops:
            if verb == "add" and label not in labels:
                labels.append(label)
            elif verb == "remove" and label in labels:
                labels.remove(label)
        out.values["labels"] = tuple(labels)
    if "priority" in given:
        chosen = given["priority"]
        value = None if chosen is None else priority_value(str(chosen.get("name") or chosen["id"]))
        if chosen is not None and value is None:
            out.errors["priority"] = _BAD_PRIORITY
        else:
            out.values["priority"] = value
    for role in ("assignee", "reporter"):
        if role in given:
            who = given[role]
            if who is not None and jira.account(who) is None:
                out.errors[role] = f"User '{who}' does not exist."
            else:
                out.values[role] = who
    if "parent" in given:
        wanted = given["parent"]
        parent = None if wanted is None else jira.visible(wanted, account)
        if wanted is not None and (parent is None or (current and parent.key == current.key)):
            out.errors["parent"] = _NO_PARENT
        else:
            out.values["parent_key"] = parent.key if parent else None
    if "issuetype" in given:
        kind = given["issuetype"]
        names = {t.id for t in ISSUE_TYPES} | {t.name.lower() for t in ISSUE_TYPES}
        if str(kind.get("id") or str(kind.get("name", "")).lower()) not in names:
            out.errors["issuetype"] = _BAD_TYPE
    return out


def create_ticket(jira: JiraWorld, project_key: str, write: WorldWrite, account: str) -> FakeTicket:
    """A new issue in `project_key`, reported by the caller unless the write names a reporter."""
    values = write.values
    return jira.world.create_ticket(
        Provider.jira,
        project_key,
        title=values["title"],
        body_markdown=values.get("body_markdown"),
        author=values.get("reporter") or account,
        labels=values.get("labels", ()),
        assignee=values.get("assignee"),
        priority=values.get("priority"),
        parent_key=values.get("parent_key"),
    )
