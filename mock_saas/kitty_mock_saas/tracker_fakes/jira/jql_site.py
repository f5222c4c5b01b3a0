"""What a JQL query is checked against and run over: the site (`JqlSite`: its catalogues, who
searches, when), the issues (`JqlIssue`), and what each value of a clause names on the site, with
Jira's sentences for values that name nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from .jql import FunctionCall, Value
from .jql_dates import DATE_FUNCTIONS, date_function, date_value, invalid_date

__all__ = ["CATEGORIES", "READERS", "IssueRef", "JqlIssue", "JqlSite", "Reader"]

# (id, key, name) of Jira's four status categories.
CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("1", "undefined", "No Category"),
    ("2", "new", "To Do"),
    ("4", "indeterminate", "In Progress"),
    ("3", "done", "Done"),
)
_ISSUE_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*-\d+$")


@dataclass(eq=False)
class JqlIssue:
    """What a query can see of one issue (names, not ids, for status, resolution and type)."""

    id: str
    key: str
    number: int
    project_id: str
    project_key: str
    summary: str
    description: str
    # The comment bodies, or how to read them: only text and comment clauses need them.
    comments: Sequence[str] | Callable[[], Sequence[str]]
    status: str
    category_key: str
    resolution: str | None
    issuetype: str
    priority: str | None
    assignee: str | None
    reporter: str | None
    labels: tuple[str, ...]
    created: datetime
    updated: datetime
    parent_id: str | None = None

    @cached_property
    def texts(self) -> dict[str, str]:
        """The searchable text of each text field (`text` is all of them)."""
        bodies = self.comments() if callable(self.comments) else self.comments
        comment = "\n".join(bodies)
        return {
            "summary": self.summary,
            "description": self.description,
            "comment": comment,
            "text": "\n".join((self.summary, self.description, comment)),
        }


@dataclass(frozen=True)
class IssueRef:
    """An issue a query names: its id, project and number (for key ranges)."""

    id: str
    project_id: str
    number: int


@dataclass
class JqlSite:
    """What a query is checked against: the site's catalogues, who searches, and when."""

    now: datetime
    current_user: str | None
    projects: Sequence[tuple[str, str, str]]  # (id, key, name)
    statuses: Sequence[tuple[str, str]]  # (id, name)
    find_issue: Callable[[str], IssueRef | None]
    find_account: Callable[[str], str | None]
    issue_types: Sequence[tuple[str, str]] = (("10001", "Task"),)
    resolutions: Sequence[tuple[str, str]] = (("10000", "Done"), ("10001", "Won't Do"))
    priorities: Sequence[tuple[str, str]] = field(default=())  # best first


Reader = Callable[[str, Value | FunctionCall, "JqlSite", list[str]], list[object]]


# -- what a value names, per field --------------------------------------------------------------


def _not_found(field_name: str, value: str) -> str:
    return f"The value '{value}' does not exist for the field '{field_name}'."


def _no_function(item: FunctionCall, field_name: str, errors: list[str]) -> list[object]:
    if item.name.lower() in {f.lower() for f in (*DATE_FUNCTIONS, "currentUser")}:
        errors.append(
            f"A value provided by the function '{item.name}' is invalid for the field "
            f"'{field_name}'."
        )
    else:
        errors.append(f"Unable to find JQL function '{item.name}({', '.join(item.args)})'.")
    return []


def _from_catalogue(
    catalogue: Iterable[tuple[str, str]],
) -> Callable[[str, Value | FunctionCall, JqlSite, list[str]], list[object]]:
    def read(
        field_name: str, item: Value | FunctionCall, site: JqlSite, errors: list[str]
    ) -> list[object]:
        del site
        if isinstance(item, FunctionCall):
            return _no_function(item, field_name, errors)
        text = item.text.strip().lower()
        names: list[object] = [
            name.lower() for ident, name in catalogue if text in (ident, name.lower())
        ]
        if not names:
            errors.append(_not_found(field_name, item.text))
        return names

    return read


def _read_project(
    field_name: str, item: Value | FunctionCall, site: JqlSite, errors: list[str]
) -> list[object]:
    if isinstance(item, FunctionCall):
        return _no_function(item, field_name, errors)
    text = item.text.strip().lower()
    ids: list[object] = [
        pid for pid, key, name in site.projects if text in (pid, key.lower(), name.lower())
    ]
    if not ids:
        errors.append(_not_found(field_name, item.text))
    return ids


def _read_issue(
    field_name: str, item: Value | FunctionCall, site: JqlSite, errors: list[str]
) -> list[object]:
    if isinstance(item, FunctionCall):
        return _no_function(item, field_name, errors)
    text = item.text.strip()
    if not (text.isdigit() or _ISSUE_KEY.match(text)):
        errors.append(f"The issue key '{item.text}' for field '{field_name}' is invalid.")
        return []
    ref = site.find_issue(text)
    if ref is None:
        errors.append(f"An issue with key '{item.text}' does not exist for field '{field_name}'.")
        return []
    return [ref.id, ref]


def _read_category(
    field_name: str, item: Value | FunctionCall, site: JqlSite, errors: list[str]
) -> list[object]:
    if isinstance(item, FunctionCall):
        return _no_function(item, field_name, errors)
    text = item.text.strip().lower()
    keys: list[object] = [
        key for ident, key, name in CATEGORIES if text in (ident, key, name.lower())
    ]
    if not keys:
        errors.append(_not_found(field_name, item.text))
    return keys


def _read_user(
    field_name: str, item: Value | FunctionCall, site: JqlSite, errors: list[str]
) -> list[object]:
    if isinstance(item, FunctionCall):
        if item.name.lower() != "currentuser":
            return _no_function(item, field_name, errors)
        if item.args:
            errors.append(
                f"Function 'currentUser' expected '0' arguments but got '{len(item.args)}'."
            )
            return []
        return [site.current_user] if site.current_user else []
    account = site.find_account(item.text.strip())
    if account is None:
        errors.append(_not_found(field_name, item.text))
        return []
    return [account]


def _read_label(
    field_name: str, item: Value | FunctionCall, site: JqlSite, errors: list[str]
) -> list[object]:
    if isinstance(item, FunctionCall):
        return _no_function(item, field_name, errors)
    return [item.text.strip().lower()]


def _read_date(
    field_name: str, item: Value | FunctionCall, site: JqlSite, errors: list[str]
) -> list[object]:
    if isinstance(item, FunctionCall):
        name = next((f for f in DATE_FUNCTIONS if f.lower() == item.name.lower()), None)
        if name is None:
            return _no_function(item, field_name, errors)
        moment = date_function(name, item.args, site.now)
        if moment is None:
            errors.append(
                f"Incorrect parameters for the function '{item.name}': "
                f"'{', '.join(item.args)}' is not a valid increment."
            )
            return []
        return [moment]
    moment = date_value(item.text, site.now)
    if moment is None:
        errors.append(invalid_date(item.text, field_name))
        return []
    return [moment]


def _read_resolution(
    field_name: str, item: Value | FunctionCall, site: JqlSite, errors: list[str]
) -> list[object]:
    if isinstance(item, Value) and item.text.strip().lower() == "unresolved":
        return [None]
    return _from_catalogue(site.resolutions)(field_name, item, site, errors)


def _read_priority(
    field_name: str, item: Value | FunctionCall, site: JqlSite, errors: list[str]
) -> list[object]:
    return _from_catalogue(site.priorities)(field_name, item, site, errors)


def _read_status(
    field_name: str, item: Value | FunctionCall, site: JqlSite, errors: list[str]
) -> list[object]:
    return _from_catalogue(site.statuses)(field_name, item, site, errors)


def _read_type(
    field_name: str, item: Value | FunctionCall, site: JqlSite, errors: list[str]
) -> list[object]:
    return _from_catalogue(site.issue_types)(field_name, item, site, errors)


def _read_parent(
    field_name: str, item: Value | FunctionCall, site: JqlSite, errors: list[str]
) -> list[object]:
    return [v for v in _read_issue(field_name, item, site, errors) if isinstance(v, str)]


READERS: dict[str, Reader] = {
    "project": _read_project,
    "issuekey": _read_issue,
    "status": _read_status,
    "statusCategory": _read_category,
    "assignee": _read_user,
    "reporter": _read_user,
    "labels": _read_label,
    "created": _read_date,
    "updated": _read_date,
    "resolution": _read_resolution,
    "issuetype": _read_type,
    "priority": _read_priority,
    "parent": _read_parent,
}
