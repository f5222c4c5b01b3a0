"""The tracker world as Linear's objects: what the fake models of an issue, team, state, user,
label and comment.

Each builder returns a dict of the fields the world models (`defaults` answers the rest). A
field that takes arguments or costs a query (a team's issues, an issue's comments) is a
callable, run only when a document selects it. `*_view` builders give the same objects as the
filters see them (datetimes, numbers, nested views).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from kitty_mock_saas.tracker_fakes.world.models import (
    Account,
    Comment,
    Container,
    FakeTicket,
    Label,
    TicketLink,
)

from . import listing
from .context import PROVIDER, LinearContext, linear_time
from .filters import Aliases
from .workflow import State, state_for, state_id

__all__ = [
    "PRIORITY_LABELS",
    "comment_node",
    "comment_view",
    "issue_node",
    "issue_view",
    "label_node",
    "label_view",
    "organization_node",
    "relation_node",
    "state_node",
    "state_view",
    "team_node",
    "team_view",
    "user_node",
    "user_view",
]

Json = dict[str, Any]
PRIORITY_LABELS = ("No priority", "Urgent", "High", "Medium", "Low")
_ORG_NAMESPACE = uuid.UUID("3c9e2b7d-1f4a-4d8e-a6b5-9f0c1d2e3a4b")


def _url_key(ctx: LinearContext) -> str:
    teams = ctx.teams()
    site = teams[0].site_url if teams else "https://linear.app/linear"
    return site.rstrip("/").rsplit("/", 1)[-1]


def organization_node(ctx: LinearContext) -> Json:
    """The workspace every team of the world belongs to."""
    url_key = _url_key(ctx)
    return {
        "id": str(uuid.uuid5(_ORG_NAMESPACE, url_key)),
        "name": url_key.capitalize(),
        "urlKey": url_key,
        "userCount": len(ctx.world.accounts(PROVIDER)),
        "teams": lambda info, **args: listing.team_connection(ctx, args),
        "users": lambda info, **args: listing.user_connection(ctx, args),
        "labels": lambda info, **args: listing.label_connection(ctx, args),
    }


def team_node(ctx: LinearContext, team: Container) -> Json:
    """A team, built once per request."""
    key = ("team", team.id)
    if key not in ctx.memo:
        ctx.memo[key] = {
            "id": team.id,
            "key": team.key,
            "name": team.name,
            "displayName": team.name,
            "issueCount": lambda info, **args: ctx.world.count_tickets(PROVIDER, team.key),
            "organization": lambda info, **args: organization_node(ctx),
            "states": lambda info, **args: listing.state_connection(ctx, args, team),
            "issues": lambda info, **args: listing.issue_connection(ctx, args, team=team),
            "labels": lambda info, **args: listing.label_connection(ctx, args, team=team),
            "members": lambda info, **args: listing.user_connection(ctx, args),
        }
    node: Json = ctx.memo[key]
    return node


def state_node(ctx: LinearContext, team: Container, state: State) -> Json:
    return {
        "id": state_id(team.id, state.name),
        "name": state.name,
        "type": state.type,
        "position": state.position,
        "color": state.color,
        "team": lambda info, **args: team_node(ctx, team),
        "issues": lambda info, **args: listing.issue_connection(
            ctx, args, team=team, scope={"state": {"id": {"eq": state_id(team.id, state.name)}}}
        ),
    }


def user_node(ctx: LinearContext, account: Account) -> Json:
    handle = account.login or account.account_id
    return {
        "id": account.account_id,
        "name": account.display_name,
        "displayName": handle,
        "email": account.email or "",
        "active": True,
        "app": account.is_app,
        "isMe": account.account_id == ctx.account,
        "url": f"https://linear.app/{_url_key(ctx)}/profiles/{handle}",
        "organization": lambda info, **args: organization_node(ctx),
        "teams": lambda info, **args: listing.team_connection(ctx, args),
        "assignedIssues": lambda info, **args: listing.issue_connection(
            ctx, args, scope={"assignee": {"id": {"eq": account.account_id}}}
        ),
        "createdIssues": lambda info, **args: listing.issue_connection(
            ctx, args, scope={"creator": {"id": {"eq": account.account_id}}}
        ),
    }


def _user_or_none(ctx: LinearContext, account_id: str | None) -> Json | None:
    account = ctx.world.account(PROVIDER, account_id) if account_id else None
    return user_node(ctx, account) if account is not None else None


def issue_node(ctx: LinearContext, ticket: FakeTicket, *, search_result: bool = False) -> Json:
    team = ctx.team(ticket.container_id)
    assert team is not None
    state = state_for(ticket.status_name, ticket.status_category)
    slug = _slug(ticket.title)
    priority = ticket.priority or 0
    url = f"{team.site_url.rstrip('/')}/issue/{ticket.key}/{slug}"
    node: Json = {
        "id": ticket.id,
        "identifier": ticket.key,
        "number": float(ticket.number),
        "title": ticket.title,
        "description": ticket.body_markdown,
        "url": url,
        "branchName": f"{ticket.key.lower()}-{slug}"[:60].rstrip("-"),
        "priority": float(priority),
        "priorityLabel": PRIORITY_LABELS[priority],
        # Times and lookups are computed only when a document selects them (hot path).
        "createdAt": lambda info, **args: linear_time(ticket.created_at),
        "updatedAt": lambda info, **args: linear_time(ticket.updated_at),
        "startedAt": lambda info, **args: _when(ticket, state, ("started",)),
        "completedAt": lambda info, **args: _when(ticket, state, ("completed",)),
        "canceledAt": lambda info, **args: _when(ticket, state, ("canceled", "duplicate")),
        "state": lambda info, **args: state_node(ctx, team, state),
        "team": lambda info, **args: team_node(ctx, team),
        "labelIds": lambda info, **args: [label.id for label in _labels(ctx, ticket)],
        "assignee": lambda info, **args: _user_or_none(ctx, ticket.assignee),
        "creator": lambda info, **args: _user_or_none(ctx, ticket.reporter),
        "parent": lambda info, **args: _parent_node(ctx, ticket),
        "children": lambda info, **args: listing.issue_connection(
            ctx, args, scope={"parent": {"id": {"eq": ticket.id}}}
        ),
        "labels": lambda info, **args: listing.label_connection(ctx, args, ticket=ticket),
        "comments": lambda info, **args: listing.comment_connection(ctx, args, ticket=ticket),
        "relations": lambda info, **args: listing.relation_connection(ctx, args, ticket, "from"),
        "inverseRelations": lambda info, **args: listing.relation_connection(
            ctx, args, ticket, "to"
        ),
    }
    if search_result:
        node["metadata"] = {}
    return node


def _parent_node(ctx: LinearContext, ticket: FakeTicket) -> Json | None:
    parent = (
        ctx.visible(ctx.world.ticket(PROVIDER, ticket.parent_key)) if ticket.parent_key else None
    )
    return issue_node(ctx, parent) if parent is not None else None


def _labels(ctx: LinearContext, ticket: FakeTicket) -> list[Label]:
    found = (ctx.world.label(PROVIDER, ticket.container_id, name) for name in ticket.labels)
    return [label for label in found if label is not None]


def _when(ticket: FakeTicket, state: State, types: tuple[str, ...]) -> str | None:
    # The world keeps no status history: a ticket entered its state when it last changed.
    return linear_time(ticket.updated_at) if state.type in types else None


def label_node(ctx: LinearContext, label: Label) -> Json:
    team = ctx.team(label.container_id)
    return {
        "id": label.id,
        "name": label.name,
        "color": label.color,
        "description": label.description,
        "isGroup": False,
        "team": (lambda info, **args: team_node(ctx, team)) if team is not None else None,
        "issues": lambda info, **args: listing.issue_connection(
            ctx, args, scope={"labels": {"id": {"eq": label.id}}}
        ),
    }


def comment_node(ctx: LinearContext, comment: Comment, ticket: FakeTicket) -> Json:
    node_url = issue_node(ctx, ticket)["url"]
    return {
        "id": comment.id,
        "body": comment.body_markdown,
        "createdAt": linear_time(comment.created_at),
        "updatedAt": linear_time(comment.updated_at),
        "editedAt": (
            linear_time(comment.updated_at) if comment.updated_at != comment.created_at else None
        ),
        "url": f"{node_url}#comment-{comment.id[:8]}",
        "issueId": ticket.id,
        "issue": lambda info, **args: issue_node(ctx, ticket),
        "user": lambda info, **args: _user_or_none(ctx, comment.author),
    }


def relation_node(ctx: LinearContext, link: TicketLink) -> Json:
    """A relation `issue` <type> `relatedIssue` (`blocks`, `duplicate`, `related`, `similar`)."""

    def issue_of(key: str) -> Json | None:
        ticket = ctx.visible(ctx.world.ticket(PROVIDER, key))
        return issue_node(ctx, ticket) if ticket is not None else None

    return {
        "id": link.id,
        "type": link.kind,
        "createdAt": linear_time(link.created_at),
        "updatedAt": linear_time(link.created_at),
        "issue": lambda info, **args: issue_of(link.from_key),
        "relatedIssue": lambda info, **args: issue_of(link.to_key),
    }


def team_view(team: Container) -> Json:
    return {"__typename": "Team", "id": team.id, "key": team.key, "name": team.name}


def state_view(team: Container, state: State) -> Json:
    return {
        "__typename": "WorkflowState",
        "id": state_id(team.id, state.name),
        "name": state.name,
        "type": state.type,
        "position": state.position,
        "team": team_view(team),
    }


def user_view(account: Account, caller: str) -> Json:
    return {
        "__typename": "User",
        "id": account.account_id,
        "name": account.display_name,
        "displayName": account.login or account.account_id,
        "email": account.email or "",
        "isMe": account.account_id == caller,
        "active": True,
        "app": account.is_app,
    }


def label_view(label: Label, team: Container | None) -> Json:
    return {
        "__typename": "IssueLabel",
        "id": label.id,
        "name": label.name,
        "isGroup": False,
        "team": team_view(team) if team is not None else None,
    }


def _user_view_or_none(ctx: LinearContext, account_id: str | None) -> Json | None:
    account = ctx.world.account(PROVIDER, account_id) if account_id else None
    return user_view(account, ctx.account) if account is not None else None


def issue_view(ctx: LinearContext, ticket: FakeTicket) -> Json:
    """An issue as the filters see it."""
    team = ctx.team(ticket.container_id)
    assert team is not None
    state = state_for(ticket.status_name, ticket.status_category)
    description = ticket.body_markdown
    return {
        "__typename": "Issue",
        "id": Aliases((ticket.id, ticket.key)),
        "number": float(ticket.number),
        "title": ticket.title,
        "description": description,
        "searchableContent": f"{ticket.title}\n{description or ''}",
        "priority": float(ticket.priority or 0),
        "createdAt": ticket.created_at,
        "updatedAt": ticket.updated_at,
        "startedAt": ticket.updated_at if state.type == "started" else None,
        "completedAt": ticket.updated_at if state.type == "completed" else None,
        "canceledAt": ticket.updated_at if state.type in ("canceled", "duplicate") else None,
        "team": team_view(team),
        "state": state_view(team, state),
        "assignee": lambda: _user_view_or_none(ctx, ticket.assignee),
        "creator": lambda: _user_view_or_none(ctx, ticket.reporter),
        "parent": lambda: _parent_view(ctx, ticket),
        "labels": lambda: [label_view(label, team) for label in _labels(ctx, ticket)],
        "comments": lambda: [
            comment_view(ctx, c) for c in ctx.world.comments(PROVIDER, ticket.key)
        ],
    }


def _parent_view(ctx: LinearContext, ticket: FakeTicket) -> Json | None:
    parent = (
        ctx.visible(ctx.world.ticket(PROVIDER, ticket.parent_key)) if ticket.parent_key else None
    )
    return issue_view(ctx, parent) if parent is not None else None


def comment_view(ctx: LinearContext, comment: Comment) -> Json:
    return {
        "__typename": "Comment",
        "id": comment.id,
        "body": comment.body_markdown,
        "createdAt": comment.created_at,
        "updatedAt": comment.updated_at,
        "user": _user_view_or_none(ctx, comment.author),
        "issue": lambda: _issue_view_of(ctx, comment.ticket_key),
    }


def _issue_view_of(ctx: LinearContext, key: str) -> Json | None:
    ticket = ctx.visible(ctx.world.ticket(PROVIDER, key))
    return issue_view(ctx, ticket) if ticket is not None else None


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].rstrip("-")
