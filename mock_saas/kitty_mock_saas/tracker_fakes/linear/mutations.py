"""The root fields of Linear's `Mutation` the fake serves: `issueCreate`, `issueUpdate`,
`commentCreate`.

Every input field the world models is applied; one it does not model is refused with Linear's
"Argument Validation Error" naming it, rather than accepted and dropped, so `success: true`
always means every field was applied. A referenced id that names nothing the caller can see
(team, state, label, user, parent issue) is "Entity not found", as Linear answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphql import GraphQLResolveInfo
from kitty_contracts import StatusCategory

from kitty_mock_saas.tracker_fakes.world.changes import PRIORITIES
from kitty_mock_saas.tracker_fakes.world.edits import TicketChanges
from kitty_mock_saas.tracker_fakes.world.models import Container, FakeTicket

from . import nodes
from .context import PROVIDER, LinearContext
from .errors import LinearError
from .workflow import WORKFLOW, State, state_id

__all__ = ["MUTATION_FIELDS"]

Json = dict[str, Any]
Info = GraphQLResolveInfo[LinearContext]
_CREATE_FIELDS = frozenset(
    {"teamId", "title", "description", "stateId", "priority", "labelIds", "assigneeId", "parentId"}
)
_UPDATE_FIELDS = frozenset(
    {
        "title",
        "description",
        "stateId",
        "priority",
        "labelIds",
        "addedLabelIds",
        "removedLabelIds",
        "assigneeId",
        "parentId",
    }
)
_COMMENT_FIELDS = frozenset({"issueId", "body"})
_RELATION_FIELDS = frozenset({"issueId", "relatedIssueId", "type"})


def issue_create(info: Info, input: Json) -> Json:
    ctx = info.context
    _refuse_unmodelled("IssueCreateInput", input, _CREATE_FIELDS)
    team = ctx.team(str(input["teamId"]))
    if team is None:
        raise LinearError.referenced("Team")
    fields = _edits(ctx, team, None, input)
    title = fields.pop("title", None)
    if title is None:
        raise LinearError.invalid_input("title must not be empty")
    created = ctx.world.create_ticket(
        PROVIDER,
        team.key,
        title=title,
        body_markdown=fields.pop("body_markdown", None),
        author=ctx.account,
        labels=fields.pop("labels", ()),
        assignee=fields.pop("assignee", None),
        priority=fields.pop("priority", None),
        parent_key=fields.pop("parent_key", None),
        status_category=fields.pop("status_category", StatusCategory.todo),
        status_name=fields.pop("status_name", None),
        now=ctx.now,
    )
    return _issue_payload(ctx, created)


def issue_update(info: Info, id: str, input: Json) -> Json:
    ctx = info.context
    _refuse_unmodelled("IssueUpdateInput", input, _UPDATE_FIELDS)
    # The same permission as a read: an issue the caller cannot see does not exist for it.
    ticket = ctx.find_issue(id)
    if ticket is None:
        raise LinearError.not_found("Issue")
    team = ctx.team(ticket.container_id)
    assert team is not None
    fields = _edits(ctx, team, ticket, input)
    status = {k: fields.pop(k) for k in ("status_name", "status_category") if k in fields}
    if fields:
        ctx.world.edit_ticket(
            PROVIDER, ticket.key, TicketChanges.of(**fields), now=ctx.now, actor=ctx.account
        )
    if status:
        ctx.world.update_status(
            PROVIDER,
            ticket.key,
            status_name=status["status_name"],
            status_category=status["status_category"],
            state_reason=None,
            updated_at=ctx.now,
            actor=ctx.account,
        )
    updated = ctx.world.ticket(PROVIDER, ticket.key)
    assert updated is not None
    return _issue_payload(ctx, updated)


def comment_create(info: Info, input: Json) -> Json:
    ctx = info.context
    _refuse_unmodelled("CommentCreateInput", input, _COMMENT_FIELDS)
    if not input.get("issueId"):
        raise LinearError.invalid_input("issueId is required: the fake models issue comments")
    body = input.get("body")
    if not isinstance(body, str) or not body.strip():
        raise LinearError.invalid_input("body must not be empty")
    ticket = ctx.find_issue(str(input["issueId"]))
    if ticket is None:
        raise LinearError.referenced("Issue")
    comment = ctx.world.add_comment(PROVIDER, ticket.key, ctx.account, body, now=ctx.now)
    updated = ctx.world.ticket(PROVIDER, ticket.key)
    assert updated is not None
    return {
        "success": True,
        "lastSyncId": _last_sync_id(ctx, updated),
        "comment": nodes.comment_node(ctx, comment, updated),
    }


def issue_relation_create(info: Info, input: Json, overrideCreatedAt: Any = None) -> Json:
    ctx = info.context
    _refuse_unmodelled("IssueRelationCreateInput", input, _RELATION_FIELDS)
    if overrideCreatedAt is not None:
        raise LinearError.invalid_input("the fake does not model overrideCreatedAt")
    issue = ctx.find_issue(str(input["issueId"]))
    related = ctx.find_issue(str(input["relatedIssueId"]))
    if issue is None or related is None:
        raise LinearError.referenced("Issue")
    if issue.key == related.key:
        raise LinearError.invalid_input("an issue cannot be related to itself")
    link = ctx.world.add_link(
        PROVIDER, issue.key, related.key, str(input["type"]), author=ctx.account, now=ctx.now
    )
    return {
        "success": True,
        "lastSyncId": _last_sync_id(ctx, issue),
        "issueRelation": nodes.relation_node(ctx, link),
    }


def _edits(ctx: LinearContext, team: Container, ticket: FakeTicket | None, given: Json) -> Json:
    """The world's field values for Linear's input fields, every reference checked."""
    fields: Json = {}
    if given.get("title") is not None:
        if not str(given["title"]).strip():
            raise LinearError.invalid_input("title must not be empty")
        fields["title"] = given["title"]
    if "description" in given:
        fields["body_markdown"] = given["description"]
    if given.get("stateId") is not None:
        state = _state(team, given["stateId"])
        fields["status_name"], fields["status_category"] = state.name, state.category
    if "priority" in given:
        priority = given["priority"]
        if priority is not None and priority not in PRIORITIES:
            raise LinearError.invalid_input("priority must be between 0 and 4")
        fields["priority"] = priority
    if "assigneeId" in given:
        assignee = given["assigneeId"]
        if assignee is not None and ctx.world.account(PROVIDER, str(assignee)) is None:
            raise LinearError.referenced("User")
        fields["assignee"] = assignee
    if "parentId" in given:
        fields["parent_key"] = _parent_key(ctx, ticket, given["parentId"])
    labels = _labels(ctx, team, ticket, given)
    if labels is not None:
        fields["labels"] = labels
    return fields


def _labels(
    ctx: LinearContext, team: Container, ticket: FakeTicket | None, given: Json
) -> list[str] | None:
    """The label names the issue ends with, or None when the input leaves labels alone."""
    if not {"labelIds", "addedLabelIds", "removedLabelIds"} & given.keys():
        return None
    names = list(ticket.labels) if ticket is not None else []
    if given.get("labelIds") is not None:
        names = [_label_name(ctx, team, i) for i in given["labelIds"]]
    names += [_label_name(ctx, team, i) for i in given.get("addedLabelIds") or ()]
    removed = {_label_name(ctx, team, i).casefold() for i in given.get("removedLabelIds") or ()}
    kept: list[str] = []
    for name in names:
        if name.casefold() not in removed and name.casefold() not in map(str.casefold, kept):
            kept.append(name)
    return kept


def _label_name(ctx: LinearContext, team: Container, label_id: Any) -> str:
    label = ctx.world.label_by_id(PROVIDER, str(label_id))
    if label is None or label.container_id != team.id:
        raise LinearError.referenced("IssueLabel")
    return label.name


def _parent_key(ctx: LinearContext, ticket: FakeTicket | None, parent_id: Any) -> str | None:
    if parent_id is None:
        return None
    parent = ctx.find_issue(str(parent_id))
    if parent is None:
        raise LinearError.referenced("Issue")
    if ticket is not None and _is_descendant_or_self(ctx, parent, ticket):
        raise LinearError.invalid_input("an issue cannot be its own parent or sub-issue's child")
    return parent.key


def _is_descendant_or_self(ctx: LinearContext, candidate: FakeTicket, ticket: FakeTicket) -> bool:
    seen: set[str] = set()
    current: FakeTicket | None = candidate
    while current is not None and current.key not in seen:
        if current.key == ticket.key:
            return True
        seen.add(current.key)
        current = ctx.world.ticket(PROVIDER, current.parent_key) if current.parent_key else None
    return False


def _state(team: Container, wanted: Any) -> State:
    for state in WORKFLOW:
        if state_id(team.id, state.name) == wanted:
            return state
    raise LinearError.referenced("WorkflowState")


def _refuse_unmodelled(input_type: str, given: Mapping[str, Any], modelled: frozenset[str]) -> None:
    unmodelled = sorted(set(given) - modelled)
    if unmodelled:
        names = ", ".join(f"{input_type}.{name}" for name in unmodelled)
        raise LinearError.invalid_input(f"the fake does not model {names}")


def _last_sync_id(ctx: LinearContext, ticket: FakeTicket) -> float:
    # Linear's sync id grows with every write: the id of the issue's latest event.
    events = ctx.world.ticket_events(PROVIDER, ticket.key)
    return float(events[-1].id) if events else 0.0


def _issue_payload(ctx: LinearContext, ticket: FakeTicket) -> Json:
    return {
        "success": True,
        "lastSyncId": _last_sync_id(ctx, ticket),
        "issue": nodes.issue_node(ctx, ticket),
    }


MUTATION_FIELDS: dict[str, Callable[..., Any]] = {
    "issueCreate": issue_create,
    "issueUpdate": issue_update,
    "commentCreate": comment_create,
    "issueRelationCreate": issue_relation_create,
}
