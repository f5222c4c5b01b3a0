"""The root fields of Linear's `Query` the fake serves (`linear_operations.txt` lists them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo

from . import listing, nodes
from .context import PROVIDER, LinearContext
from .errors import LinearError
from .workflow import WORKFLOW, state_id

__all__ = ["QUERY_FIELDS"]

Json = dict[str, Any]
Info = GraphQLResolveInfo[LinearContext]


def viewer(info: Info) -> Json:
    ctx = info.context
    account = ctx.world.account(PROVIDER, ctx.account)
    if account is None:
        raise LinearError.not_found("User")
    return nodes.user_node(ctx, account)


def organization(info: Info) -> Json:
    return nodes.organization_node(info.context)


def teams(info: Info, **args: Any) -> Json:
    return listing.team_connection(info.context, args)


def team(info: Info, id: str) -> Json:
    ctx = info.context
    found = ctx.team(id)
    if found is None:
        raise LinearError.not_found("Team")
    return nodes.team_node(ctx, found)


def users(info: Info, **args: Any) -> Json:
    return listing.user_connection(info.context, args)


def user(info: Info, id: str) -> Json:
    ctx = info.context
    account = ctx.world.account(PROVIDER, id)
    if account is None:
        raise LinearError.not_found("User")
    return nodes.user_node(ctx, account)


def workflow_states(info: Info, **args: Any) -> Json:
    return listing.state_connection(info.context, args)


def workflow_state(info: Info, id: str) -> Json:
    ctx = info.context
    for found in ctx.teams():
        for state in WORKFLOW:
            if state_id(found.id, state.name) == id:
                return nodes.state_node(ctx, found, state)
    raise LinearError.not_found("WorkflowState")


def issue(info: Info, id: str) -> Json:
    ctx = info.context
    ticket = ctx.find_issue(id)
    if ticket is None:
        raise LinearError.not_found("Issue")
    return nodes.issue_node(ctx, ticket)


def issues(info: Info, **args: Any) -> Json:
    return listing.issue_connection(info.context, args)


def search_issues(info: Info, term: str, **args: Any) -> Json:
    return listing.search_connection(info.context, args, term, search_result=True)


def issue_search(info: Info, query: str | None = None, **args: Any) -> Json:
    return listing.search_connection(info.context, args, query or "", search_result=False)


def issue_labels(info: Info, **args: Any) -> Json:
    return listing.label_connection(info.context, args)


def issue_label(info: Info, id: str) -> Json:
    ctx = info.context
    label = ctx.world.label_by_id(PROVIDER, id)
    if label is None:
        raise LinearError.not_found("IssueLabel")
    return nodes.label_node(ctx, label)


def comments(info: Info, **args: Any) -> Json:
    return listing.comment_connection(info.context, args)


def comment(info: Info, id: str | None = None, hash: str | None = None) -> Json:
    ctx = info.context
    found = ctx.world.comment(PROVIDER, id) if id else None
    ticket = ctx.visible(ctx.world.ticket(PROVIDER, found.ticket_key)) if found else None
    if found is None or ticket is None:
        raise LinearError.not_found("Comment")
    return nodes.comment_node(ctx, found, ticket)


QUERY_FIELDS: dict[str, Callable[..., Any]] = {
    "viewer": viewer,
    "organization": organization,
    "teams": teams,
    "team": team,
    "users": users,
    "user": user,
    "workflowStates": workflow_states,
    "workflowState": workflow_state,
    "issue": issue,
    "issues": issues,
    "searchIssues": search_issues,
    "issueSearch": issue_search,
    "issueLabels": issue_labels,
    "issueLabel": issue_label,
    "comments": comments,
    "comment": comment,
}
