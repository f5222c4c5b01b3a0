"""A mission's first `spec.md`, rendered on the SaaS from the tracker's view of a ticket.

Clients keep no spec template of their own: the draft comes from the connector's one rendering
(`render_spec_markdown`, which `create_spec_from_issue` writes), after the same policy, mapping,
identity and ticket checks a bind makes.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from kitty_contracts import ResourceType, SpecDraftRequest, SpecDraftResponse

from kitty_mock_saas.api import access
from kitty_mock_saas.api.access import ActorDep
from kitty_mock_saas.api.deps import ContractBodyDep
from kitty_mock_saas.api.routes.origins import PreferHeader
from kitty_mock_saas.connectors import render_spec_markdown
from kitty_mock_saas.prefer import forced_answer, parse_prefer

router = APIRouter(prefix="/api/v1/tracker")


@router.post("/spec-draft/", operation_id="draftSpecFromIssue")
async def draft_spec_from_issue(
    actor: ActorDep,
    body: ContractBodyDep,
    prefer: PreferHeader = None,
) -> JSONResponse:
    """Resolve the ticket by its stable id as the user, and render it; nothing is stored."""
    forced = forced_answer("draftSpecFromIssue", parse_prefer(prefer))
    if forced is not None:
        return forced
    request = SpecDraftRequest.model_validate(body)
    provider = request.provider.value
    mapping, credential = access.container_access(actor, provider, body, then="ask again")
    key_hint = request.external_issue_key if isinstance(request.external_issue_key, str) else None
    ticket = await actor.runtime.trackers.resolve(
        mapping, credential, issue_id=request.external_issue_id, key_hint=key_hint
    )
    draft = SpecDraftResponse(
        provider=request.provider,
        resource_type=ResourceType(mapping.resource_type),
        resource_id=mapping.resource_id,
        external_issue_id=ticket.external_issue_id,
        external_issue_key=ticket.external_issue_key,
        external_issue_url=ticket.url,
        external_title=ticket.title,
        external_status=ticket.status,
        external_status_category=ticket.status_category,
        spec_markdown=render_spec_markdown(ticket),
    )
    return JSONResponse(draft.model_dump(mode="json"))
