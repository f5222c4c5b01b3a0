"""A JQL query compiled against a site: one predicate, its ORDER BY, and what bounds it.

Usage::

    plan = compile_query("project = IAM AND updated >= -7d ORDER BY key", site)
    hits = plan.run(candidates)  # JqlIssues; raises JqlError with Jira's messages
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .jql import And, Clause, JqlSyntaxError, Node, Not, Query, SortKey, parse_jql
from .jql_fields import CompiledClause, compile_clause, field_named
from .jql_site import JqlIssue, JqlSite
from .text_match import TextQuery

__all__ = ["UNBOUNDED", "JqlError", "SearchPlan", "compile_query"]

UNBOUNDED = (
    "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
)
_MAX_SORT_FIELDS = 7
# Fields Jira sorts newest / most important first unless told otherwise.
_DESCENDING_BY_DEFAULT = {"created", "updated"}


class JqlError(ValueError):
    """A query Jira refuses: `messages` are its `errorMessages`."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class SearchPlan:
    """A checked query: run it over candidate issues.

    `project_ids`, `issue_ids` and `text` say what every hit must have (from the clauses the
    whole query ANDs), so a caller can fetch fewer candidates; None when nothing says.
    """

    query: Query
    matches: Callable[[JqlIssue], bool]
    sort_keys: tuple[tuple[Callable[[JqlIssue], Any], bool], ...]
    project_ids: frozenset[str] | None
    issue_ids: frozenset[str] | None
    text: tuple[str, TextQuery] | None
    index_only: bool = False

    @property
    def bounded(self) -> bool:
        """Whether the query has a search restriction (Jira refuses those that do not)."""
        return self.query.where is not None

    @property
    def ordered(self) -> bool:
        return bool(self.sort_keys)

    def run(self, candidates: Iterable[JqlIssue]) -> list[JqlIssue]:
        """The candidates that match, in the query's order (key, newest first, by default)."""
        hits = [issue for issue in candidates if self.matches(issue)]
        return self.order(hits)

    def order(self, hits: list[JqlIssue]) -> list[JqlIssue]:
        """`hits` sorted by ORDER BY (stable, last key first), then by key descending."""
        ordered = sorted(hits, key=_key_order, reverse=True)
        for getter, descending in reversed(self.sort_keys):
            present = [i for i in ordered if getter(i) is not None]
            missing = [i for i in ordered if getter(i) is None]
            present.sort(key=getter, reverse=descending)
            # Issues without a value come last ascending and first descending, as in Jira.
            ordered = missing + present if descending else present + missing
        return ordered


def _key_order(issue: JqlIssue) -> tuple[str, int]:
    return (issue.project_key, issue.number)


_SORT_VALUES: dict[str, Callable[[JqlIssue], Any]] = {
    "project": lambda i: i.project_key,
    "issuekey": _key_order,
    "summary": lambda i: i.summary.lower(),
    "description": lambda i: i.description.lower() or None,
    "status": lambda i: i.status.lower(),
    "statusCategory": lambda i: (
        ("new", "indeterminate", "done").index(i.category_key)
        if i.category_key in ("new", "indeterminate", "done")
        else 3
    ),
    "assignee": lambda i: i.assignee,
    "reporter": lambda i: i.reporter,
    "labels": lambda i: ",".join(sorted(i.labels)) or None,
    "created": lambda i: i.created,
    "updated": lambda i: i.updated,
    "resolution": lambda i: i.resolution,
    "issuetype": lambda i: i.issuetype,
    "priority": lambda i: i.priority,
    "parent": lambda i: i.parent_id,
}


def compile_query(jql: str, site: JqlSite) -> SearchPlan:
    """Parse and check `jql` against `site`; raises `JqlError` with every problem found."""
    try:
        query = parse_jql(jql)
    except JqlSyntaxError as exc:
        raise JqlError([str(exc)]) from exc
    errors: list[str] = []
    compiled: dict[int, CompiledClause] = {}
    for clause in query.clauses():
        compiled[id(clause)] = compile_clause(clause, site, errors)
    sort_keys = _sort_keys(query.order_by, site, errors)
    if errors:
        raise JqlError(list(dict.fromkeys(errors)))
    matches = _predicate(query.where, compiled) if query.where is not None else _always
    required = [compiled[id(c)] for c in _conjuncts(query.where)]
    projects = [c.project_ids for c in required if c.project_ids is not None]
    issues = [c.issue_ids for c in required if c.issue_ids is not None]
    texts = [c.text for c in required if c.text is not None]
    return SearchPlan(
        query=query,
        matches=matches,
        sort_keys=sort_keys,
        project_ids=frozenset.intersection(*projects) if projects else None,
        issue_ids=frozenset.intersection(*issues) if issues else None,
        text=texts[0] if texts else None,
        index_only=_index_only(query, required),
    )


def _index_only(query: Query, required: list[CompiledClause]) -> bool:
    """Whether the query is projects AND one text clause, nothing else: a text index answers
    it alone, best match first."""
    if query.order_by or len(required) != len(query.clauses()):
        return False
    texts = [c for c in required if c.text is not None]
    others = [c for c in required if c.text is None]
    phrases = any(c.text is not None and c.text[1].phrases for c in texts)
    return len(texts) == 1 and not phrases and all(c.project_ids is not None for c in others)


def _always(issue: JqlIssue) -> bool:
    return True


def _predicate(node: Node, compiled: dict[int, CompiledClause]) -> Callable[[JqlIssue], bool]:
    if isinstance(node, Clause):
        return compiled[id(node)].matches
    if isinstance(node, Not):
        inner = _predicate(node.item, compiled)
        return lambda issue: not inner(issue)
    parts = [_predicate(item, compiled) for item in node.items]
    if isinstance(node, And):
        return lambda issue: all(part(issue) for part in parts)
    return lambda issue: any(part(issue) for part in parts)


def _conjuncts(node: Node | None) -> list[Clause]:
    """The clauses every hit must satisfy: the query's top-level AND (or its one clause)."""
    if isinstance(node, Clause):
        return [node]
    if isinstance(node, And):
        return [found for item in node.items for found in _conjuncts(item)]
    return []


def _sort_keys(
    order_by: tuple[SortKey, ...], site: JqlSite, errors: list[str]
) -> tuple[tuple[Callable[[JqlIssue], Any], bool], ...]:
    if len(order_by) > _MAX_SORT_FIELDS:
        errors.append(f"The ORDER BY clause can contain a maximum of {_MAX_SORT_FIELDS} fields.")
    keys: list[tuple[Callable[[JqlIssue], Any], bool]] = []
    ranks = {name: rank for rank, (_, name) in enumerate(site.priorities)}
    for key in order_by:
        kind = field_named(key.field)
        if kind is None:
            errors.append(
                f"Field '{key.field}' does not exist or you do not have permission to view it."
            )
        elif not kind.sortable:
            errors.append(f"Field '{key.field}' does not support sorting.")
        else:
            descending = key.descending
            if descending is None:
                descending = kind.name in _DESCENDING_BY_DEFAULT
            getter = _SORT_VALUES[kind.name]
            if kind.name == "priority":  # by the site's order of priorities, not by name
                getter = lambda i: ranks.get(i.priority) if i.priority else None  # noqa: E731
            keys.append((getter, descending))
    return tuple(keys)
