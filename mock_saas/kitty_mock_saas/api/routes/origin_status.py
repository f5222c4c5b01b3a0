"""A mission's status and its origin ticket: write it back, or read the ticket's.

Both find the origin link in the SaaS's own store and check, with the acting user's linked
identity, that the user can see the ticket now. A write then goes through the installation's
credential (`Trackers.write_status`): the user decides which mission, the SaaS what it may change.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse
from kitty_contracts import OriginStatusSyncRequest

from kitty_mock_saas.api import access
from kitty_mock_saas.api import origin_answers as answers
from kitty_mock_saas.api.access import ActorDep
from kitty_mock_saas.api.deps import ContractBodyDep
from kitty_mock_saas.connectors import status_category_of
from kitty_mock_saas.prefer import forced_answer, parse_prefer
from kitty_mock_saas.state import origins

router = APIRouter(prefix="/api/v1/tracker")
PreferHeader = Annotated[str | None, Header(alias="Prefer")]


@router.post("/mission-origin/status/", operation_id="syncMissionOriginStatus")
async def sync_mission_origin_status(
    actor: ActorDep,
    body: ContractBodyDep,
    prefer: PreferHeader = None,
) -> JSONResponse:
    """Move the origin ticket to the status category the mission's status stands for."""
    forced = forced_answer("syncMissionOriginStatus", parse_prefer(prefer))
    if forced is not None:
        return forced
    request = OriginStatusSyncRequest.model_validate(body)
    requested = status_category_of(request.status.value)
    seen = await access.origin_access(actor, request.mission_id, then="sync the status again")
    ticket = seen.ticket
    written = await actor.runtime.trackers.write_status(seen.mapping, ticket, requested)
    with actor.runtime.db.write() as conn:
        # The stored link shows the status the tracker now has (getMissionOrigin reads it).
        origins.refresh(conn, team_id=actor.team.id, mission_id=request.mission_id, ticket=written)
    return JSONResponse(answers.status_sync_body(request.mission_id, requested, ticket, written))


@router.get("/mission-origin/status/", operation_id="getMissionOriginStatus")
async def get_mission_origin_status(
    actor: ActorDep,
    mission_id: Annotated[str, Query()],
) -> JSONResponse:
    """The origin ticket's status as the tracker answers it now, for the acting user."""
    seen = await access.origin_access(actor, mission_id, then="read the status again")
    writable = actor.runtime.trackers.writable(seen.mapping)
    return JSONResponse(answers.status_body(mission_id, seen.ticket, writable))
