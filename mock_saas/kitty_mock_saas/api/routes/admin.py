"""The admin API (`/__admin/...`, contracts/admin.yaml): inspect state, inject faults, reset.

Guarded by the admin token (`X-Admin-Token`, or `Authorization: Bearer <admin token>`), except the
admin contract itself at `/__admin/openapi.json`.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from kitty_contracts import ErrorCode
from kitty_contracts.validation import admin_document

from kitty_mock_saas.api.deps import ContractBodyDep, RuntimeDep
from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.state import activity, directory, events, origins

# The contract bounds it (1..1000); the stage refused anything else.
ADMIN_LIMIT = Annotated[int, Query()]


async def require_admin(request: Request, runtime: RuntimeDep) -> None:
    token = request.headers.get("x-admin-token")
    if token is None:
        scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
        token = bearer.strip() if scheme.lower() == "bearer" else None
    if token is None or not hmac.compare_digest(token, runtime.settings.admin_token):
        raise ApiError(
            ErrorCode.unauthenticated,
            "Admin endpoints need the admin token in X-Admin-Token (kitty-mock-saas serve --admin-token).",
        )


router = APIRouter(prefix="/__admin", dependencies=[Depends(require_admin)])
public_router = APIRouter(prefix="/__admin")


@public_router.get("/openapi.json", operation_id="adminGetContract")
async def get_contract() -> dict[str, Any]:
    """The admin contract (contracts/admin.yaml, bundled), verbatim."""
    return admin_document()


@router.get("/state", operation_id="adminGetState")
async def get_state(runtime: RuntimeDep) -> dict[str, Any]:
    """Teams, users with their linked providers, resource mappings and tracker containers."""
    return {**directory.overview(runtime.db), "containers": runtime.trackers.containers()}


@router.get("/tickets", operation_id="adminListTickets")
async def list_tickets(
    runtime: RuntimeDep,
    container: Annotated[str | None, Query()] = None,
    limit: ADMIN_LIMIT = 100,
) -> dict[str, Any]:
    return {"tickets": runtime.trackers.tickets(container=container, limit=limit)}


@router.get("/origin-links", operation_id="adminListOriginLinks")
async def list_origin_links(runtime: RuntimeDep, limit: ADMIN_LIMIT = 200) -> dict[str, Any]:
    return {"origin_links": origins.list_links(runtime.db, limit)}


@router.get("/events", operation_id="adminListEvents")
async def list_events(
    runtime: RuntimeDep,
    event_type: Annotated[str | None, Query()] = None,
    limit: ADMIN_LIMIT = 200,
) -> dict[str, Any]:
    return {
        "events": events.list_events(runtime.db, event_type=event_type, limit=limit),
        "receipts": events.list_receipts(runtime.db, limit),
        "artifacts": events.list_artifacts(runtime.db, limit),
    }


@router.get("/requests", operation_id="adminListRequests")
async def list_requests(runtime: RuntimeDep, limit: ADMIN_LIMIT = 100) -> dict[str, Any]:
    return {"requests": runtime.request_log.recent(limit)}


@router.get("/faults", operation_id="adminListFaults")
async def list_faults(runtime: RuntimeDep) -> dict[str, Any]:
    return {
        "faults": activity.active_faults(runtime.db),
        "async_bind_default": runtime.settings.async_bind,
    }


def _fault_specs(data: dict[str, Any]) -> list[tuple[str, dict[str, Any], int | None]]:
    """`{"rate_limit": {"count": 2, "retry_after_seconds": 1}, "outage": {"count": 3}, ...}`."""
    specs: list[tuple[str, dict[str, Any], int | None]] = []
    for kind, params in data.items():
        if kind == "async_bind":
            specs.append((kind, {}, None))
        else:
            params = dict(params)
            specs.append((kind, params, int(params.pop("count", 1))))
    return specs


@router.post("/faults", operation_id="adminAddFaults")
async def add_faults(runtime: RuntimeDep, data: ContractBodyDep) -> JSONResponse:
    activity.add_faults(runtime.db, _fault_specs(data))
    return JSONResponse({"faults": activity.active_faults(runtime.db)}, status_code=201)


@router.delete("/faults", operation_id="adminClearFaults")
async def clear_faults(runtime: RuntimeDep) -> dict[str, Any]:
    return {"cleared": activity.clear_faults(runtime.db)}
