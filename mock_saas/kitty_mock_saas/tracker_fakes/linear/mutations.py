"""The root fields of Linear's `Mutation` the fake serves: issue create and update, comments.

An input field the world does not model is refused with Linear's "Argument Validation Error"
naming it, rather than accepted and dropped: an answer of `success: true` means every field
was applied.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphql import GraphQLResolveInfo

from kitty_mock_saas.tracker_fakes.world.edits import TicketChanges

from . import nodes
from .context import PROVIDER, LinearContext
from .errors import LinearError
from .workflow import WORKFLOW, State, state_id

__all__ = ["MUTATION_FIELDS"]

Json = dict[str, Any]
Info = GraphQLResolveInfo[LinearContext]
_UPDATE_FIELDS = frozenset({"title", "description", "stateId"})


def _refuse_unmodelled(input_type: str, given: Mapping[str, Any], modelled: frozenset[str]) -> None:
    unmodelled = sorted(set(given) - modelled)
    if unmodelled:
        raise LinearError.invalid_input(
            f"the fake does not model {input_type}." + f", {input_type}.".join(unmodelled)
        )


def _state(team_id: str, wanted: Any) -> State:
    for state in WORKFLOW:
        if state_id(team_id, state.name) == wanted:
            return state
    raise LinearError.referenced("WorkflowState")


def issue_update(info: Info, id: str, input: Json) -> Json:
    ctx = info.context
    _refuse_unmodelled("IssueUpdateInput", input, _UPDATE_FIELDS)
    # The same permission as a read: an issue the caller cannot see does not exist for it.
    ticket = ctx.find_issue(id)
    if ticket is None:
        raise LinearError.not_found("Issue")
    if input.get("title") is not None and not str(input["title"]).strip():
        raise LinearError.invalid_input("title must not be empty")
    changes = {}
    if input.get("title") is not None:
        changes["title"] = input["title"]
    if "description" in input:
        changes["body_markdown"] = input["description"]
    if changes:
        ctx.world.edit_ticket(PROVIDER, ticket.key, TicketChanges.of(**changes), now=ctx.now)
    if input.get("stateId") is not None:
        state = _state(ticket.container_id, input["stateId"])
        ctx.world.update_status(
            PROVIDER,
            ticket.key,
            status_name=state.name,
            status_category=state.category,
            state_reason=None,
            updated_at=ctx.now,
            actor=ctx.account,
        )
    updated = ctx.world.ticket(PROVIDER, ticket.key)
    assert updated is not None
    return _issue_payload(ctx, updated)


def _issue_payload(ctx: LinearContext, ticket: Any) -> Json:
    return {
        "success": True,
        # Linear's sync id grows with every write; the world counts its status writes.
        "lastSyncId": float(len(ctx.world.status_writes(PROVIDER))),
        "issue": nodes.issue_node(ctx, ticket),
    }


MUTATION_FIELDS: dict[str, Callable[..., Any]] = {
    "issueUpdate": issue_update,
}
