"""The JQL fields a Jira site answers, what each accepts, and how a value is read.

A parsed query (`jql.Query`) is checked against the site (`JqlSite`: its projects, statuses,
users, issues and clock) and compiled to a predicate over `JqlIssue`s. Every value that names
nothing on the site is reported at once, with Jira's own sentences, as Jira does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from .jql import Clause, Empty, FunctionCall, Operand, Value, ValueList
from .jql_dates import DATE_FUNCTIONS, date_function, date_value, invalid_date
from .text_match import TextQuery

__all__ = ["FIELDS", "CompiledClause", "JqlIssue", "JqlSite", "compile_clause", "field_named"]

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
    comments: tuple[str, ...]
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
        comment = "\n".join(self.comments)
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


@dataclass(frozen=True)
class FieldKind:
    """One JQL field: its canonical name and the operators it supports."""

    name: str
    operators: frozenset[str]
    sortable: bool = True


_EQUALITY = frozenset({"=", "!=", "IN", "NOT IN", "IS", "IS NOT"})
_ORDERED = _EQUALITY | {"<", "<=", ">", ">="}
_TEXT = frozenset({"~", "!~", "IS", "IS NOT"})
FIELDS: dict[str, FieldKind] = {
    "project": FieldKind("project", _EQUALITY),
    "issuekey": FieldKind("issuekey", _ORDERED),
    "text": FieldKind("text", frozenset({"~", "!~"}), sortable=False),
    "summary": FieldKind("summary", _TEXT),
    "description": FieldKind("description", _TEXT),
    "comment": FieldKind("comment", frozenset({"~", "!~"}), sortable=False),
    "status": FieldKind("status", _EQUALITY),
    "statuscategory": FieldKind("statusCategory", _EQUALITY),
    "assignee": FieldKind("assignee", _EQUALITY),
    "reporter": FieldKind("reporter", _EQUALITY),
    "labels": FieldKind("labels", _EQUALITY),
    "created": FieldKind("created", _ORDERED),
    "updated": FieldKind("updated", _ORDERED),
    "resolution": FieldKind("resolution", _EQUALITY),
    "issuetype": FieldKind("issuetype", _EQUALITY),
    "priority": FieldKind("priority", _ORDERED),
    "parent": FieldKind("parent", _EQUALITY),
}
_ALIASES = {
    "key": "issuekey",
    "id": "issuekey",
    "issue": "issuekey",
    "createddate": "created",
    "updateddate": "updated",
    "type": "issuetype",
    "category": "statuscategory",
}


def field_named(name: str) -> FieldKind | None:
    """The field `name` (any case, or an alias) names; None when the site has none."""
    lowered = name.lower()
    return FIELDS.get(_ALIASES.get(lowered, lowered))


Predicate = Callable[[JqlIssue], bool]


@dataclass(frozen=True)
class CompiledClause:
    """A clause as a predicate, with what it restricts candidates to when it must hold."""

    matches: Predicate
    project_ids: frozenset[str] | None = None
    issue_ids: frozenset[str] | None = None
    text: tuple[str, TextQuery] | None = None


def _operator_text(operator: str) -> str:
    return operator.lower() if operator[0].isalpha() else operator


def compile_clause(clause: Clause, site: JqlSite, errors: list[str]) -> CompiledClause:
    """`clause` as a predicate; problems are appended to `errors` (then the result is unused)."""
    kind = field_named(clause.field)
    if kind is None:
        errors.append(
            f"Field '{clause.field}' does not exist or you do not have permission to view it."
        )
        return CompiledClause(lambda issue: False)
    operator, operand = clause.operator, clause.operand
    if isinstance(operand, Empty) and operator in ("=", "!="):
        operator = "IS" if operator == "=" else "IS NOT"
    if operator not in kind.operators:
        errors.append(
            f"The operator '{_operator_text(operator)}' is not supported by the "
            f"'{clause.field}' field."
        )
        return CompiledClause(lambda issue: False)
    getter = _GETTERS[kind.name]
    if operator in ("IS", "IS NOT"):
        empty = operator == "IS"
        return CompiledClause(lambda issue: (not _values(getter(issue))) == empty)
    if kind.name in ("text", "summary", "description", "comment"):
        return _text_clause(clause, kind.name, operator, errors)
    reader = _READERS[kind.name]
    wanted = _read_all(reader, clause, operand, site, errors)
    if operator in ("<", "<=", ">", ">="):
        return _range_clause(kind.name, operator, wanted, getter, site)
    positive = operator in ("=", "IN")
    targets = frozenset(wanted)
    empty_matches = None in targets  # `resolution = Unresolved`

    def matches(issue: JqlIssue) -> bool:
        values = _values(getter(issue))
        if not values:
            # Jira leaves issues without a value out of `!=` and NOT IN too.
            return empty_matches and positive
        return bool(values & targets) == positive

    strings = frozenset(v for v in targets if isinstance(v, str))
    if positive and kind.name == "project":
        return CompiledClause(matches, project_ids=strings)
    if positive and kind.name == "issuekey":
        return CompiledClause(matches, issue_ids=strings)
    return CompiledClause(matches)


def _values(value: object) -> frozenset[object]:
    if value is None or value == "":
        return frozenset()
    if isinstance(value, tuple):
        return frozenset(value)
    return frozenset({value})


def _read_all(
    reader: Callable[[str, Value | FunctionCall, JqlSite, list[str]], list[object]],
    clause: Clause,
    operand: Operand,
    site: JqlSite,
    errors: list[str],
) -> list[object]:
    items = operand.items if isinstance(operand, ValueList) else (operand,)
    found: list[object] = []
    for item in items:
        if isinstance(item, (Value, FunctionCall)):
            found += reader(clause.field, item, site, errors)
    return found


def _text_clause(clause: Clause, name: str, operator: str, errors: list[str]) -> CompiledClause:
    operand = clause.operand
    if not isinstance(operand, Value):
        errors.append(
            f"The operator '{_operator_text(operator)}' is not supported by the "
            f"'{clause.field}' field with this value."
        )
        return CompiledClause(lambda issue: False)
    query = TextQuery.parse(operand.text)
    if query.is_empty():
        errors.append(f"The field '{clause.field}' does not support searching for an empty string.")
        return CompiledClause(lambda issue: False)
    positive = operator == "~"

    def matches(issue: JqlIssue) -> bool:
        return query.matches(issue.texts[name]) == positive

    # Only title and body are in the world's text index, so only these hint at candidates.
    indexed = positive and name in ("summary", "text")
    return CompiledClause(matches, text=(name, query) if indexed else None)


def _range_clause(
    name: str,
    operator: str,
    wanted: list[object],
    getter: Callable[[JqlIssue], object],
    site: JqlSite,
) -> CompiledClause:
    test = _COMPARE[operator]
    if name == "issuekey":
        refs = [w for w in wanted if isinstance(w, IssueRef)]
        return CompiledClause(
            lambda issue: any(
                issue.project_id == ref.project_id and test(issue.number, ref.number)
                for ref in refs
            )
        )
    if name == "priority":
        # Higher means more important: the site lists priorities best first.
        ranks = {n.lower(): len(site.priorities) - i for i, (_, n) in enumerate(site.priorities)}
        bounds = [ranks[str(w)] for w in wanted if str(w) in ranks]
        return CompiledClause(
            lambda issue: (
                (rank := ranks.get(str(getter(issue)))) is not None
                and any(test(rank, bound) for bound in bounds)
            )
        )
    return CompiledClause(
        lambda issue: (value := getter(issue)) is not None and any(test(value, w) for w in wanted)
    )


_COMPARE: dict[str, Callable[[object, object], bool]] = {
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}


# -- what an issue holds, per field -------------------------------------------------------------

_GETTERS: dict[str, Callable[[JqlIssue], object]] = {
    "project": lambda i: i.project_id,
    "issuekey": lambda i: i.id,
    "text": lambda i: i.texts["text"],
    "summary": lambda i: i.summary,
    "description": lambda i: i.description,
    "comment": lambda i: i.texts["comment"],
    "status": lambda i: i.status.lower(),
    "statusCategory": lambda i: i.category_key,
    "assignee": lambda i: i.assignee,
    "reporter": lambda i: i.reporter,
    "labels": lambda i: tuple(label.lower() for label in i.labels),
    "created": lambda i: i.created,
    "updated": lambda i: i.updated,
    "resolution": lambda i: i.resolution.lower() if i.resolution else None,
    "issuetype": lambda i: i.issuetype.lower(),
    "priority": lambda i: i.priority.lower() if i.priority else None,
    "parent": lambda i: i.parent_id,
}


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


_READERS = {
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
