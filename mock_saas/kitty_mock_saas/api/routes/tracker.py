"""Tracker operations of the contract: issue search, mission-origin bind, operation polling."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path
from fastapi.responses import JSONResponse
from kitty_contracts import ErrorCode, IssueSearchRequest, IssueSearchResponse, OriginBindRequest

from kitty_mock_saas.api.deps import ContractBodyDep, RuntimeDep, TeamDep, UserDep
from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.prefer import forced_answer, parse_prefer
from kitty_mock_saas.state import directory, origins
from kitty_mock_saas.state.directory import ResourceMapping, Team, User

router = APIRouter(prefix="/api/v1/tracker")
PreferHeader = Annotated[str | None, Header(alias="Prefer")]
IdempotencyHeader = Annotated[str | None, Header(alias="Idempotency-Key")]
# What a resource mapping points at, per provider (the wording of the contract's examples).
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
async def search_issues(
    runtime: RuntimeDep,
    user: UserDep,
    team: TeamDep,
    data: ContractBodyDep,
    prefer: PreferHeader = None,
) -> JSONResponse:
    """Search the mapped container with the user's linked identity; the key wins over text."""
    forced = forced_answer("searchIssues", parse_prefer(prefer))
    if forced is not None:
        return forced
    search = IssueSearchRequest.model_validate(data)
    provider = search.provider.value
    mapping = _mapping(runtime, team, provider, data)
    credential = _linked_credential(runtime, user, provider)
    key = search.query_key if isinstance(search.query_key, str) else None
    text = search.query_text if isinstance(search.query_text, str) else None
    candidates = await runtime.trackers.search(
        mapping, credential, query_key=key, query_text=text, limit=search.limit
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
    return JSONResponse(response.model_dump(mode="json"))


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
