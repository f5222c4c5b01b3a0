"""Mission origins: bind (now or as an operation), unbind, read, and the missions of a ticket.

A bind records only what the tracker confirms: the team's policy, mapping and the user's linked
identity are checked first, then the ticket is resolved by its stable id through the mapped
container's connector, and the link stores the tracker's canonical values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query
from fastapi.responses import JSONResponse
from kitty_contracts import (
    ErrorCode,
    OriginBindRequest,
    OriginRefreshRequest,
    OriginUnbindRequest,
    Provider,
)

from kitty_mock_saas.api import access
from kitty_mock_saas.api import origin_answers as answers
from kitty_mock_saas.api.access import ActorDep
from kitty_mock_saas.api.deps import ContractBodyDep
from kitty_mock_saas.connectors import TrackerIssue
from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.prefer import forced_answer, parse_prefer
from kitty_mock_saas.runtime import MockRuntime
from kitty_mock_saas.state import directory, idempotency, operations, origins
from kitty_mock_saas.state.directory import ResourceMapping, Team
from kitty_mock_saas.state.idempotency import KeyReusedError, StoredAnswer
from kitty_mock_saas.store import Connection

router = APIRouter(prefix="/api/v1/tracker")
PreferHeader = Annotated[str | None, Header(alias="Prefer")]
IdempotencyHeader = Annotated[str | None, Header(alias="Idempotency-Key")]


class _Vanished(Exception):
    """The link seen before resolving was removed meanwhile: resolve and try again."""


def _respond(answer: StoredAnswer) -> JSONResponse:
    headers = {"Idempotency-Replayed": "true"} if answer.replayed else {}
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)


def _once(
    runtime: MockRuntime,
    scope: str,
    key: str | None,
    body: dict[str, Any],
    produce: Callable[[Connection], StoredAnswer],
) -> StoredAnswer:
    try:
        return idempotency.once(runtime.db, scope, key, body, produce)
    except KeyReusedError:
        raise answers.key_reused() from None


async def _ticket_unless_bound(
    runtime: MockRuntime,
    team_id: str,
    mapping: ResourceMapping,
    credential: str,
    request: OriginBindRequest,
) -> TrackerIssue | None:
    """The tracker's view of the ticket, unless the mission is bound already (nothing to record)."""
    if origins.get(runtime.db, team_id, request.mission_id) is not None:
        return None
    return await runtime.trackers.resolve(
        mapping,
        credential,
        issue_id=request.external_issue_id,
        key_hint=request.external_issue_key,
    )


async def _bind_now(
    runtime: MockRuntime,
    *,
    team: Team,
    user_id: str,
    mapping: ResourceMapping,
    credential: str,
    request: OriginBindRequest,
    body: dict[str, Any],
    key: str | None,
) -> StoredAnswer:
    scope = f"{team.id}:{user_id}:bind"
    try:
        replay = idempotency.replay(runtime.db, scope, key, body)
    except KeyReusedError:
        raise answers.key_reused() from None
    if replay is not None:
        return replay  # a replay never asks the tracker again
    slug = request.mission_slug if isinstance(request.mission_slug, str) else None

    def record(ticket: TrackerIssue | None) -> StoredAnswer:
        def produce(conn: Connection) -> StoredAnswer:
            result = origins.bind(
                conn,
                team_id=team.id,
                user_id=user_id,
                mapping=mapping,
                mission_id=request.mission_id,
                mission_slug=slug,
                issue_id=request.external_issue_id,
                ticket=ticket,
                idempotency_key=key,
            )
            if result.outcome is origins.BindOutcome.UNRESOLVED:
                raise _Vanished
            return answers.bind_answer(
                result,
                mission_id=request.mission_id,
                issue_key=request.external_issue_key,
                idempotency_key=key,
            )

        return _once(runtime, scope, key, body, produce)

    ticket = await _ticket_unless_bound(runtime, team.id, mapping, credential, request)
    try:
        return record(ticket)
    except _Vanished:
        ticket = await _ticket_unless_bound(runtime, team.id, mapping, credential, request)
        return record(ticket)


@router.post("/mission-origin/bind/", operation_id="bindMissionOrigin")
async def bind_mission_origin(
    actor: ActorDep,
    body: ContractBodyDep,
    prefer: PreferHeader = None,
    idempotency_key: IdempotencyHeader = None,
) -> JSONResponse:
    """Create the origin link from the tracker's view of the ticket (or return the existing one)."""
    preferences = parse_prefer(prefer)
    forced = forced_answer("bindMissionOrigin", preferences)
    if forced is not None:
        return forced
    request = OriginBindRequest.model_validate(body)
    runtime, team, user_id = actor.runtime, actor.team, actor.user_id
    provider = request.provider.value
    mapping, credential = access.container_access(actor, provider, body, then="bind again")
    if "respond-async" in preferences or runtime.faults.async_bind():
        poll_after = runtime.settings.async_poll_after_seconds

        def accept(conn: Connection) -> StoredAnswer:
            record = operations.create(
                conn,
                team_id=team.id,
                user_id=user_id,
                request={"body": body, "mapping": mapping.__dict__},
                idempotency_key=idempotency_key,
            )
            return answers.accepted_answer(record, poll_after_seconds=poll_after)

        answer = _once(runtime, f"{team.id}:{user_id}:bind-async", idempotency_key, body, accept)
    else:
        answer = await _bind_now(
            runtime,
            team=team,
            user_id=user_id,
            mapping=mapping,
            credential=credential,
            request=request,
            body=body,
            key=idempotency_key,
        )
    return _respond(answer)


async def _complete(
    runtime: MockRuntime, record: operations.OperationRecord
) -> operations.OperationRecord:
    """Run a due bind operation the way a synchronous bind runs, and close it."""
    request = OriginBindRequest.model_validate(record.request["body"])
    mapping = ResourceMapping(**record.request["mapping"])
    key = record.idempotency_key
    team = directory.team_by_id(runtime.db, record.team_id)
    try:
        if team is None:
            raise ApiError(ErrorCode.forbidden, "The team of this operation no longer exists.")
        actor = access.Actor(runtime, team, record.user_id)
        access.ensure_origin_provider(actor, mapping.provider)
        credential = access.linked_credential(
            runtime, record.user_id, mapping.provider, then="bind again"
        )
        ticket = await _ticket_unless_bound(runtime, record.team_id, mapping, credential, request)
    except ApiError as error:
        with runtime.db.write() as conn:
            return operations.close(conn, record, error=answers.error_answer(error, key).body)
    with runtime.db.write() as conn:
        slug = request.mission_slug if isinstance(request.mission_slug, str) else None
        result = origins.bind(
            conn,
            team_id=record.team_id,
            user_id=record.user_id,
            mapping=mapping,
            mission_id=request.mission_id,
            mission_slug=slug,
            issue_id=request.external_issue_id,
            ticket=ticket,
            idempotency_key=key,
        )
        if result.outcome is origins.BindOutcome.UNRESOLVED:
            return record  # unbound while resolving: the next poll resolves again
        answer = answers.bind_answer(
            result,
            mission_id=request.mission_id,
            issue_key=request.external_issue_key,
            idempotency_key=key,
        )
        if answer.status == 200:
            return operations.close(conn, record, result=answer.body)
        return operations.close(conn, record, error=answer.body)


@router.get("/operations/{operation_id}/", operation_id="getOperation")
async def get_operation(
    actor: ActorDep,
    operation_id: Annotated[str, Path()],
) -> JSONResponse:
    """The operation's state; each poll advances it until the bind ran."""
    runtime, team = actor.runtime, actor.team
    steps = runtime.settings.async_steps
    found = operations.find(runtime.db, team_id=team.id, operation_id=operation_id)
    if found is None:
        raise ApiError(ErrorCode.operation_not_found, f"No operation {operation_id} for this team.")
    access.ensure_origin_provider(actor, found.request["mapping"]["provider"])
    record = operations.poll(runtime.db, team_id=team.id, operation_id=operation_id, steps=steps)
    if record is None:
        raise ApiError(ErrorCode.operation_not_found, f"No operation {operation_id} for this team.")
    if operations.is_due(record, steps):
        record = await _complete(runtime, record)
    poll_after = runtime.settings.async_poll_after_seconds
    return JSONResponse(answers.operation_body(record, poll_after_seconds=poll_after))


@router.post("/mission-origin/unbind/", operation_id="unbindMissionOrigin")
async def unbind_mission_origin(
    actor: ActorDep,
    body: ContractBodyDep,
    prefer: PreferHeader = None,
    idempotency_key: IdempotencyHeader = None,
) -> JSONResponse:
    """Remove the mission's origin link if the actor may; a mission without one removes nothing."""
    forced = forced_answer("unbindMissionOrigin", parse_prefer(prefer))
    if forced is not None:
        return forced
    mission_id = OriginUnbindRequest.model_validate(body).mission_id
    runtime, team = actor.runtime, actor.team
    scope = f"{team.id}:{actor.user_id}:unbind"
    try:
        replay = idempotency.replay(runtime.db, scope, idempotency_key, body)
    except KeyReusedError:
        raise answers.key_reused() from None
    if replay is not None:
        return _respond(replay)
    allowed = await access.unbind_access(actor, mission_id)

    def produce(conn: Connection) -> StoredAnswer:
        # Only the link the access step judged: one bound anew meanwhile is not removed.
        expected = allowed.origin_link_id if allowed is not None else None
        removed = origins.unbind(conn, team_id=team.id, mission_id=mission_id, link_id=expected)
        return answers.unbind_answer(mission_id, removed)

    return _respond(_once(runtime, scope, idempotency_key, body, produce))


@router.post("/mission-origin/refresh/", operation_id="refreshMissionOrigin")
async def refresh_mission_origin(
    actor: ActorDep,
    body: ContractBodyDep,
    prefer: PreferHeader = None,
) -> JSONResponse:
    """Fetch the origin ticket again (by its stable id) and store what the tracker says now."""
    forced = forced_answer("refreshMissionOrigin", parse_prefer(prefer))
    if forced is not None:
        return forced
    mission_id = OriginRefreshRequest.model_validate(body).mission_id
    seen = await access.origin_access(actor, mission_id, then="refresh again")
    with actor.runtime.db.write() as conn:
        refreshed = origins.refresh(
            conn, team_id=actor.team.id, mission_id=mission_id, ticket=seen.ticket
        )
    if refreshed is None:  # unbound (or re-bound elsewhere) while the tracker was asked
        raise answers.no_origin(mission_id)
    return JSONResponse(answers.refresh_body(*refreshed))


@router.get("/missions/{mission_id}/origin/", operation_id="getMissionOrigin")
async def get_mission_origin(
    actor: ActorDep,
    mission_id: Annotated[str, Path()],
) -> JSONResponse:
    """The mission's stored origin link, for a user who may see its ticket now."""
    seen = await access.origin_access(actor, mission_id, then="read it again")
    return JSONResponse(answers.link_body(seen.link))


@router.get("/mission-origin/by-ticket/", operation_id="listTicketMissions")
async def list_ticket_missions(
    actor: ActorDep,
    provider: Annotated[Provider, Query()],
    external_issue_id: Annotated[str, Query()],
    limit: Annotated[int, Query()] = 50,
) -> JSONResponse:
    """The team's missions that originate from the ticket, newest bind first."""
    links = origins.by_ticket(
        actor.runtime.db,
        team_id=actor.team.id,
        provider=provider.value,
        issue_id=external_issue_id,
        limit=limit,
    )
    links = await access.ticket_missions_access(actor, provider.value, external_issue_id, links)
    return JSONResponse(answers.ticket_missions_body(provider.value, external_issue_id, links))
