"""Tracker operations of the contract: issue search here, mission origins in `origins`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse
from kitty_contracts import IssueSearchRequest, IssueSearchResponse

from kitty_mock_saas.api import access
from kitty_mock_saas.api.deps import ContractBodyDep, RuntimeDep, TeamDep, UserDep
from kitty_mock_saas.prefer import forced_answer, parse_prefer

router = APIRouter(prefix="/api/v1/tracker")
PreferHeader = Annotated[str | None, Header(alias="Prefer")]


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
    access.ensure_origin_provider(runtime, team, provider)
    mapping = access.resource_mapping(runtime, team, provider, data)
    credential = access.linked_credential(runtime, user.id, provider, then="search again")
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
