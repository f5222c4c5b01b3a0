"""The tracker world as Linear's objects: what the fake models of an issue, team, state, user.

Each builder returns a dict of the fields the world models (`defaults` answers the rest). A
field that takes arguments or costs a query (a team's issues, an issue's comments) is a
callable, run only when a document selects it. `*_view` builders give the same objects as the
filters see them (datetimes, numbers, nested views).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from kitty_mock_saas.tracker_fakes.world.models import Container, FakeTicket, Identity

from . import listing
from .context import PROVIDER, LinearContext, linear_time
from .filters import Aliases
from .workflow import State, state_for, state_id

__all__ = [
    "PRIORITY_LABELS",
    "issue_node",
    "issue_view",
    "organization_node",
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
        "userCount": len(listing.accounts(ctx)),
        "teams": lambda info, **args: listing.team_connection(ctx, args),
        "users": lambda info, **args: listing.user_connection(ctx, args),
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
            "issueCount": ctx.world.count_tickets(PROVIDER, team.key),
            "organization": lambda info, **args: organization_node(ctx),
            "states": lambda info, **args: listing.state_connection(ctx, args, team),
            "issues": lambda info, **args: listing.issue_connection(ctx, args, team=team),
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
        "issues": lambda info, **args: listing.issue_connection(ctx, args, team=team, state=state),
    }


def user_node(ctx: LinearContext, identity: Identity) -> Json:
    handle = identity.account_id.split("-", 1)[-1]
    url_key = _url_key(ctx)
    return {
        "id": identity.account_id,
        "name": identity.display_name,
        "displayName": handle,
        "email": f"{handle}@{url_key}.example",
        "active": True,
        "app": identity.account_id.startswith("app-"),
        "isMe": identity.account_id == ctx.account,
        "url": f"https://linear.app/{url_key}/profiles/{handle}",
        "organization": lambda info, **args: organization_node(ctx),
        "teams": lambda info, **args: listing.team_connection(ctx, args),
        "assignedIssues": lambda info, **args: listing.issue_connection(
            ctx, args, assignee=identity.account_id
        ),
    }


def issue_node(ctx: LinearContext, ticket: FakeTicket, *, search_result: bool = False) -> Json:
    team = ctx.team(ticket.container_id)
    assert team is not None
    state = state_for(ticket.status_name, ticket.status_category)
    slug = _slug(ticket.title)
    node: Json = {
        "id": ticket.id,
        "identifier": ticket.key,
        "number": float(ticket.number),
        "title": ticket.title,
        "description": ticket.body_markdown,
        "url": f"{team.site_url.rstrip('/')}/issue/{ticket.key}/{slug}",
        "branchName": f"{ticket.key.lower()}-{slug}"[:60].rstrip("-"),
        "priority": 0.0,
        "priorityLabel": PRIORITY_LABELS[0],
        "createdAt": linear_time(ticket.created_at),
        "updatedAt": linear_time(ticket.updated_at),
        "startedAt": _when(ticket, state, ("started",)),
        "completedAt": _when(ticket, state, ("completed",)),
        "canceledAt": _when(ticket, state, ("canceled", "duplicate")),
        "state": state_node(ctx, team, state),
        "team": team_node(ctx, team),
        "labelIds": [],
    }
    if search_result:
        node["metadata"] = {}
    return node


def _when(ticket: FakeTicket, state: State, types: tuple[str, ...]) -> str | None:
    # The world keeps no status history: a ticket entered its state when it last changed.
    return linear_time(ticket.updated_at) if state.type in types else None


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


def user_view(identity: Identity, account: str) -> Json:
    return {
        "__typename": "User",
        "id": identity.account_id,
        "name": identity.display_name,
        "displayName": identity.account_id.split("-", 1)[-1],
        "isMe": identity.account_id == account,
        "active": True,
        "app": identity.account_id.startswith("app-"),
    }


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
        "priority": 0.0,
        "createdAt": ticket.created_at,
        "updatedAt": ticket.updated_at,
        "startedAt": ticket.updated_at if state.type == "started" else None,
        "completedAt": ticket.updated_at if state.type == "completed" else None,
        "canceledAt": ticket.updated_at if state.type in ("canceled", "duplicate") else None,
        "team": team_view(team),
        "state": state_view(team, state),
        "assignee": None,
        "creator": None,
        "parent": None,
        "labels": [],
        "comments": [],
    }


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].rstrip("-")
