"""Tracker operations of the contract: issue search, mission-origin bind, operation polling."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request
from fastapi.responses import JSONResponse, Response
from kitty_contracts import (
    ErrorCode,
    IssueSearchRequest,
    IssueSearchResponse,
    OriginBindRequest,
)

from kitty_mock_saas.api.deps import (
    ContractBodyDep,
    RuntimeDep,
    TeamDep,
    UserDep,
    contract_body,
    current_team,
    current_user,
    get_runtime,
)
from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.prefer import forced_answer, parse_prefer
from kitty_mock_saas.state import directory, origins
from kitty_mock_saas.state.directory import ResourceMapping, Team, User

router = APIRouter(prefix="/api/v1/tracker")
PreferHeader = Annotated[str | None, Header(alias="Prefer")]
IdempotencyHeader = Annotated[str | None, Header(alias="Idempotency-Key")]
# What a resource mapping points at, per provider (the wording of the contract's examples).
_LIMIT = IssueSearchRequest.model_fields["limit"].default
_CONTAINER_NOUNS = {"jira": "Jira project", "linear": "Linear team", "github": "GitHub repository"}


def _mapping(
    runtime: RuntimeDep, team: Team, provider: str, body: dict[str, Any]
) -> ResourceMapping:
    mapping = directory.find_mapping(
        runtime.db,
        team.id,
        provider,
        project_slug=body.get("project_slug"),
        binding_ref=body.get("binding_ref"),
    )
    if mapping is None:
        project = body.get("binding_ref") or body.get("project_slug")
        container = _CONTAINER_NOUNS.get(provider, "tracker container")
        raise ApiError(
            ErrorCode.resource_mapping_not_found,
            f"No resource mapping found for {provider} project {project!r}. "
            f"Map a {container} to this project in the Spec Kitty dashboard.",
            user_action_required=True,
        )
    return mapping


def _linked_credential(runtime: RuntimeDep, user: User, provider: str) -> str:
    token = directory.linked_token(runtime.db, user.id, provider)
    if token is None:
        name = {"jira": "Jira", "linear": "Linear", "github": "GitHub"}[provider]
        raise ApiError(
            ErrorCode.user_link_required,
            f"Your Spec Kitty account has no linked {name} identity. Link it in the Spec Kitty "
            "dashboard (Settings → Connected accounts), then search again.",
            user_action_required=True,
        )
    return token


@router.post("/issue-search/", operation_id="searchIssues")
async def search_issues(request: Request) -> Response:
    """Search the mapped container with the user's linked identity; the key wins over text."""
    # The hottest route resolves what the others take as dependencies itself, in the same
    # order: FastAPI's dependency solving cost more CPU than the search behind it.
    runtime = await get_runtime(request)
    user = await current_user(request, runtime)
    team = await current_team(runtime, user, request.headers.get("x-team-slug", ""))
    data = await contract_body(request)
    forced = forced_answer("searchIssues", parse_prefer(request.headers.get("prefer")))
    if forced is not None:
        return forced
    # The contract stage validated the body; no second validation, only its default.
    provider: str = data["provider"]
    mapping = _mapping(runtime, team, provider, data)
    credential = _linked_credential(runtime, user, provider)
    key = data.get("query_key") if isinstance(data.get("query_key"), str) else None
    text = data.get("query_text") if isinstance(data.get("query_text"), str) else None
    # JSON Schema's integer admits 2.0; the stage checked it is integral and in range.
    limit = int(data.get("limit", _LIMIT))
    candidates = await runtime.trackers.search(
        mapping, credential, query_key=key, query_text=text, limit=limit
    )
    response = IssueSearchResponse.model_validate(
        {
            "candidates": candidates,
            "provider": provider,
            "resource_type": mapping.resource_type,
            "resource_id": mapping.resource_id,
            "query_used": key if key is not None else text,
        }
    )
    # pydantic's own (Rust) JSON encoder, straight to bytes: no dict, no json.dumps.
    return Response(response.model_dump_json().encode(), media_type="application/json")


@router.post("/mission-origin/bind/", operation_id="bindMissionOrigin")
async def bind_mission_origin(
    runtime: RuntimeDep,
    user: UserDep,
    team: TeamDep,
    body: ContractBodyDep,
    prefer: PreferHeader = None,
    idempotency_key: IdempotencyHeader = None,
) -> JSONResponse:
    """Create the origin link (or return the existing one); 409 for a different origin."""
    preferences = parse_prefer(prefer)
    forced = forced_answer("bindMissionOrigin", preferences)
    if forced is not None:
        return forced
    request = OriginBindRequest.model_validate(body)
    mapping = _mapping(runtime, team, request.provider.value, body)
    if "respond-async" in preferences or runtime.faults.async_bind():
        answer = origins.start_operation(
            runtime.db,
            team_id=team.id,
            user_id=user.id,
            mapping=mapping,
            raw_body=body,
            idempotency_key=idempotency_key,
            poll_after_seconds=runtime.settings.async_poll_after_seconds,
        )
    else:
        answer = origins.bind_origin(
            runtime.db,
            team_id=team.id,
            user_id=user.id,
            mapping=mapping,
            request=request,
            raw_body=body,
            idempotency_key=idempotency_key,
        )
    headers = {"Idempotency-Replayed": "true"} if answer.replayed else {}
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)


@router.get("/operations/{operation_id}/", operation_id="getOperation")
async def get_operation(
    runtime: RuntimeDep,
    user: UserDep,
    team: TeamDep,
    operation_id: Annotated[str, Path()],
) -> JSONResponse:
    """The operation's state; each poll advances it until the bind ran."""
    body = origins.poll_operation(
        runtime.db,
        team_id=team.id,
        operation_id=operation_id,
        steps=runtime.settings.async_steps,
        poll_after_seconds=runtime.settings.async_poll_after_seconds,
    )
    return JSONResponse(body)
