"""Tracker operations of the contract: issue search here, mission origins in `origins`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from kitty_contracts import IssueSearchRequest, IssueSearchResponse

from kitty_mock_saas.api import access
from kitty_mock_saas.api.deps import contract_body, current_team, current_user, get_runtime
from kitty_mock_saas.prefer import forced_answer, parse_prefer

router = APIRouter(prefix="/api/v1/tracker")
_LIMIT = IssueSearchRequest.model_fields["limit"].default


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
    actor = access.Actor(runtime, team, user.id, access.client_providers(request))
    mapping, credential = access.container_access(actor, provider, data, then="search again")
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
