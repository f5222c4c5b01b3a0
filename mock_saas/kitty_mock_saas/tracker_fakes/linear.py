"""A fake Linear GraphQL API over the shared `TrackerWorld`.

`POST /graphql` answers `issue(id:)` (UUID or identifier; a miss is an "Entity not found"
error with `data: null`), `issues(filter:{team, number})`, `searchIssues(term:, filter:)`, the
deprecated `issueSearch`, `workflowStates(filter:{team, type})` and the mutation
`issueUpdate(id:, input:{stateId})`, which moves an issue the caller can see to a state of its
team. Like Linear, `teamId` on `searchIssues` only boosts: without a
team `filter` every team's issues come back. Responses contain exactly the selected fields;
errors (including rate limiting) may arrive with HTTP 200.
"""

from __future__ import annotations

import functools
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)
from graphql.utilities import value_from_ast_untyped
from kitty_contracts import Provider, StatusCategory
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._common import FakeFaults, Json, PayloadHook, decode_cursor, encode_cursor, request_token
from .world.models import Container, FakeTicket
from .world.store import TrackerWorld

__all__ = ["create_linear_fake", "linear_issue_node"]

# Connectors send the same few query documents over and over; parse each once (documents are
# never mutated). Syntax errors are raised, not cached.
_parse = functools.lru_cache(maxsize=256)(parse)

# The workflow every fake team has: state name, Linear state type, position, and the status
# category the world stores for it.
_WORKFLOW = (
    ("Triage", "triage", 0.0, StatusCategory.todo),
    ("Backlog", "backlog", 1.0, StatusCategory.todo),
    ("Todo", "unstarted", 2.0, StatusCategory.todo),
    ("In Progress", "started", 3.0, StatusCategory.in_progress),
    ("In Review", "started", 4.0, StatusCategory.in_progress),
    ("Done", "completed", 5.0, StatusCategory.done),
    ("Canceled", "canceled", 6.0, StatusCategory.canceled),
    ("Duplicate", "duplicate", 7.0, StatusCategory.canceled),
)
_STATE_TYPES = {name: kind for name, kind, _, _ in _WORKFLOW}
_STATE_NAMESPACE = uuid.UUID("0b7f3c1a-52d4-4e8f-9a61-7c2d5e8f1b34")
_CATEGORY_TYPES = {
    StatusCategory.todo: "unstarted",
    StatusCategory.in_progress: "started",
    StatusCategory.done: "completed",
    StatusCategory.canceled: "canceled",
}


class _GraphQLFailure(Exception):
    def __init__(self, message: str, code: str, kind: str, status: int = 200) -> None:
        super().__init__(message)
        self.code, self.kind, self.status = code, kind, status


def create_linear_fake(
    world: TrackerWorld,
    *,
    faults: FakeFaults | None = None,
    payload_hook: PayloadHook | None = None,
) -> Starlette:
    """The fake Linear API as an ASGI app; `faults` switches misbehaviour at run time."""
    fake = _LinearFake(world, faults or FakeFaults(), payload_hook)
    app = Starlette(routes=[Route("/graphql", fake.graphql, methods=["POST"])])
    app.state.faults = fake.faults
    return app


def _errors(
    status: int,
    message: str,
    code: str,
    kind: str,
    headers: dict[str, str] | None = None,
    *,
    data: bool = False,
) -> JSONResponse:
    error = {
        "message": message,
        "extensions": {"type": kind, "code": code, "userPresentableMessage": message},
    }
    body: Json = {"errors": [error]}
    if data:
        body["data"] = None
    return JSONResponse(body, status_code=status, headers=headers)


class _LinearFake:
    def __init__(
        self, world: TrackerWorld, faults: FakeFaults, payload_hook: PayloadHook | None
    ) -> None:
        self.world, self.faults, self.hook = world, faults, payload_hook

    async def graphql(self, request: Request) -> Response:
        failure = self.faults.next_failure()
        if failure is not None:
            return _errors(failure, "Injected failure", "INTERNAL_SERVER_ERROR", "internal error")
        if self.faults.take_rate_limit():
            reset_ms = int((datetime.now(UTC).timestamp() + self.faults.retry_after) * 1000)
            headers = {
                "X-RateLimit-Requests-Limit": "5000",
                "X-RateLimit-Requests-Remaining": "0",
                "X-RateLimit-Requests-Reset": str(reset_ms),
            }
            # Linear reports rate limiting as a GraphQL error, by default on HTTP 200.
            if self.faults.rate_limit_style == "http":
                headers["Retry-After"] = str(self.faults.retry_after)
                return _errors(429, "Rate limit exceeded", "RATELIMITED", "ratelimited", headers)
            return _errors(
                200, "Rate limit exceeded", "RATELIMITED", "ratelimited", headers, data=True
            )
        token = request_token(request)
        account = self.world.account_for_token(Provider.linear, token) if token else None
        if account is None:
            return _errors(
                401,
                "Authentication required, not authenticated",
                "AUTHENTICATION_ERROR",
                "authentication error",
            )
        try:
            body = await request.json()
            document = _parse(str(body.get("query", "")))
        except (ValueError, GraphQLSyntaxError) as exc:
            return _errors(400, f"Syntax Error: {exc}", "GRAPHQL_PARSE_FAILED", "invalid input")
        variables = body.get("variables") or {}
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if len(operations) != 1 or operations[0].operation.value not in ("query", "mutation"):
            return _errors(
                400,
                "Expected exactly one query or mutation operation",
                "GRAPHQL_VALIDATION_FAILED",
                "invalid input",
            )
        mutation = operations[0].operation.value == "mutation"
        data: Json = {}
        try:
            for selection in operations[0].selection_set.selections:
                if not isinstance(selection, FieldNode):
                    raise _GraphQLFailure(
                        "Root fragments are not supported by the fake",
                        "GRAPHQL_VALIDATION_FAILED",
                        "invalid input",
                        400,
                    )
                args = {
                    a.name.value: value_from_ast_untyped(a.value, variables)
                    for a in selection.arguments or ()
                }
                resolve = self._mutate if mutation else self._resolve
                value = resolve(selection.name.value, args, account)
                name = selection.alias.value if selection.alias else selection.name.value
                data[name] = _project(value, selection.selection_set, fragments)
        except _GraphQLFailure as problem:
            return _errors(
                problem.status, str(problem), problem.code, problem.kind, data=problem.status == 200
            )
        return JSONResponse(self._payload(operations[0], {"data": data}))

    def _payload(self, operation: OperationDefinitionNode, payload: Json) -> Json:
        kind = operation.name.value if operation.name else "anonymous"
        return self.hook(kind, payload) if self.hook else payload

    def _resolve(self, field: str, args: Json, account: str) -> Any:
        if field == "issue":
            ticket = self._find(str(args.get("id", "")), account)
            if ticket is None:
                raise _GraphQLFailure("Entity not found: Issue", "INPUT_ERROR", "invalid input")
            return self._node(ticket)
        if field == "issues":
            return self._issues(args.get("filter") or {}, args, account)
        if field == "workflowStates":
            return self._workflow_states(args.get("filter") or {})
        if field in ("searchIssues", "issueSearch"):
            term = str(args.get("term") if field == "searchIssues" else args.get("query") or "")
            return self._search(
                term, args.get("filter") or {}, args, account, search_result=field == "searchIssues"
            )
        raise _GraphQLFailure(
            f'Cannot query field "{field}" on type "Query".',
            "GRAPHQL_VALIDATION_FAILED",
            "invalid input",
            400,
        )

    def _mutate(self, field: str, args: Json, account: str) -> Any:
        if field != "issueUpdate":
            raise _GraphQLFailure(
                f'Cannot query field "{field}" on type "Mutation".',
                "GRAPHQL_VALIDATION_FAILED",
                "invalid input",
                400,
            )
        update = args.get("input")
        if not isinstance(update, dict) or set(update) != {"stateId"}:
            raise _GraphQLFailure(
                "The fake supports issueUpdate(input: {stateId}) only",
                "INVALID_INPUT",
                "invalid input",
            )
        # The same permission as a read: an issue the caller cannot see does not exist for it.
        ticket = self._find(str(args.get("id", "")), account)
        if ticket is None:
            raise _GraphQLFailure("Entity not found: Issue", "INPUT_ERROR", "invalid input")
        state = next(
            (
                row
                for row in _WORKFLOW
                if _state_id(ticket.container_id, row[0]) == update["stateId"]
            ),
            None,
        )
        if state is None:
            raise _GraphQLFailure(
                "Entity not found: WorkflowState - Could not find referenced WorkflowState.",
                "INVALID_INPUT",
                "invalid input",
            )
        name, _, _, category = state
        updated = self.world.update_status(
            Provider.linear,
            ticket.key,
            status_name=name,
            status_category=category,
            state_reason=None,
            updated_at=datetime.now(UTC),
            actor=account,
        )
        assert updated is not None
        return {
            "__typename": "IssuePayload",
            "success": True,
            "lastSyncId": float(len(self.world.status_writes(Provider.linear))),
            "issue": self._node(updated),
        }

    def _workflow_states(self, state_filter: Json) -> Json:
        if set(state_filter) - {"team", "type"} or "team" not in state_filter:
            raise _GraphQLFailure(
                "The fake supports workflowStates(filter: {team, type}) only",
                "INPUT_ERROR",
                "invalid input",
            )
        team = self._team(state_filter)
        kind = (state_filter.get("type") or {}).get("eq")
        nodes = [
            _state_node(team, name, state_type, position)
            for name, state_type, position, _ in _WORKFLOW
            if team is not None and kind in (None, state_type)
        ]
        return _connection(nodes, offset=0, has_next=False, query="workflowStates")

    def _find(self, id_or_identifier: str, account: str) -> FakeTicket | None:
        ticket = self.world.ticket(
            Provider.linear, id_or_identifier.upper()
        ) or self.world.ticket_by_id(Provider.linear, id_or_identifier)
        return ticket if ticket and not ticket.deleted and ticket.visible_to(account) else None

    def _team(self, issue_filter: Json) -> Container | None:
        team = issue_filter.get("team") or {}
        if "id" in team:
            return self.world.container(Provider.linear, id=str(team["id"].get("eq")))
        if "key" in team:
            return self.world.container(Provider.linear, key=str(team["key"].get("eq")))
        return None

    def _issues(self, issue_filter: Json, args: Json, account: str) -> Json:
        unsupported = set(issue_filter) - {"team", "number"}
        if unsupported or "number" not in issue_filter or "team" not in issue_filter:
            raise _GraphQLFailure(
                "The fake supports issues(filter: {team, number}) only",
                "INPUT_ERROR",
                "invalid input",
            )
        team = self._team(issue_filter)
        number = issue_filter["number"].get("eq")
        ticket = (
            self.world.ticket_by_number(Provider.linear, team.id, int(number))
            if team is not None and isinstance(number, int | float)
            else None
        )
        visible = ticket is not None and not ticket.deleted and ticket.visible_to(account)
        nodes = [self._node(ticket)] if visible and ticket is not None else []
        return _connection(nodes, offset=0, has_next=False, query="issues")

    def _search(
        self, term: str, issue_filter: Json, args: Json, account: str, *, search_result: bool
    ) -> Json:
        if set(issue_filter) - {"team"}:
            raise _GraphQLFailure(
                "The fake supports a team filter only", "INPUT_ERROR", "invalid input"
            )
        team = self._team(issue_filter)
        if issue_filter and team is None:
            return _connection([], offset=0, has_next=False, query=term, total=0)
        first = max(1, min(int(args.get("first") or 50), 250))
        cursor_query = f"{term}|{team.id if team else '*'}"
        offset = 0
        if args.get("after"):
            decoded = decode_cursor(str(args["after"]), cursor_query)
            if decoded is None:
                raise _GraphQLFailure("Invalid cursor", "INPUT_ERROR", "invalid input")
            offset = decoded + 1
        hits = self.world.search(
            Provider.linear,
            team.id if team else None,
            term,
            account_id=account,
            limit=first,
            offset=offset,
        )
        nodes = [self._node(t, search_result=search_result) for t in hits.tickets]
        return _connection(
            nodes,
            offset=offset,
            has_next=offset + len(nodes) < hits.total,
            query=cursor_query,
            total=hits.total if search_result else None,
        )

    def _node(self, ticket: FakeTicket, *, search_result: bool = False) -> Json:
        return linear_issue_node(
            ticket,
            self.world.container(Provider.linear, id=ticket.container_id),
            search_result=search_result,
        )


def linear_issue_node(
    ticket: FakeTicket, team: Container | None, *, search_result: bool = False
) -> Json:
    """Every field the fake can serve for `ticket`; the query's selection picks from it."""
    assert team is not None
    state_type = _STATE_TYPES.get(ticket.status_name, _CATEGORY_TYPES[ticket.status_category])
    node: Json = {
        "__typename": "IssueSearchResult" if search_result else "Issue",
        "id": ticket.id,
        "identifier": ticket.key,
        "number": float(ticket.number),
        "title": ticket.title,
        "description": ticket.body_markdown,
        "url": f"{team.site_url.rstrip('/')}/issue/{ticket.key}/{_slug(ticket.title)}",
        "state": _state_node(team, ticket.status_name, state_type, None),
        "team": {"__typename": "Team", "id": team.id, "key": team.key, "name": team.name},
        "createdAt": ticket.created_at.isoformat(),
        "updatedAt": ticket.updated_at.isoformat(),
    }
    if search_result:
        node["metadata"] = {}
    return node


def _state_id(team_id: str, name: str) -> str:
    """A state's id: stable per team and state name, as Linear's UUIDs are."""
    return str(uuid.uuid5(_STATE_NAMESPACE, f"{team_id}/{name}"))


def _state_node(team: Container, name: str, state_type: str, position: float | None) -> Json:
    if position is None:
        position = next((row[2] for row in _WORKFLOW if row[0] == name), 0.0)
    return {
        "__typename": "WorkflowState",
        "id": _state_id(team.id, name),
        "name": name,
        "type": state_type,
        "position": position,
        "team": {"__typename": "Team", "id": team.id, "key": team.key, "name": team.name},
    }


def _connection(
    nodes: list[Json], *, offset: int, has_next: bool, query: str, total: int | None = None
) -> Json:
    cursors = [encode_cursor(offset + i, query) for i in range(len(nodes))]
    result: Json = {
        "nodes": nodes,
        "edges": [{"cursor": c, "node": n} for c, n in zip(cursors, nodes, strict=True)],
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": offset > 0,
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        },
    }
    if total is not None:
        result["totalCount"] = float(total)
    return result


def _project(
    value: Any, selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode]
) -> Any:
    """Keep exactly the selected fields, as a GraphQL server does."""
    if selection_set is None or value is None:
        return value
    if isinstance(value, list):
        return [_project(item, selection_set, fragments) for item in value]
    result: Json = {}
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            name = selection.name.value
            if name not in value:
                raise _GraphQLFailure(
                    f'Cannot query field "{name}" on type "{value.get("__typename")}".',
                    "GRAPHQL_VALIDATION_FAILED",
                    "invalid input",
                    400,
                )
            alias = selection.alias.value if selection.alias else name
            result[alias] = _project(value[name], selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments[selection.name.value]
            result.update(_project(value, fragment.selection_set, fragments))
        elif isinstance(selection, InlineFragmentNode):
            result.update(_project(value, selection.selection_set, fragments))
    return result


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].rstrip("-")
