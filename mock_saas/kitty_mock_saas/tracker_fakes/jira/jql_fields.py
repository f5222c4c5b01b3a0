"""The JQL fields a Jira site answers and the operators each accepts; a clause compiled to a
predicate over `JqlIssue`s.

A parsed clause is checked against the site (`jql_site.JqlSite`: its projects, statuses, users,
issues and clock); every value that names nothing on the site is reported at once, with Jira's
own sentences, as Jira does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .jql import Clause, Empty, FunctionCall, Operand, Value, ValueList
from .jql_site import READERS, IssueRef, JqlIssue, JqlSite
from .text_match import TextQuery

__all__ = ["FIELDS", "CompiledClause", "compile_clause", "field_named"]


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
    reader = READERS[kind.name]
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
