"""The admin API (`/__admin/...`, contracts/admin.yaml): inspect state, edit the embedded
trackers' tickets, inject faults, reset, snapshots, the journal and sandboxes. Everything but `/__admin/sandboxes` acts on the sandbox the
request names in `X-Kitty-Sandbox` (the default state without it).

Guarded by the admin token (`X-Admin-Token`, or `Authorization: Bearer <admin token>`), except the
admin contract itself at `/__admin/openapi.json` and the readiness check `/__admin/health`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from kitty_contracts import ErrorCode
from kitty_contracts.validation import admin_document

from kitty_mock_saas.admin_auth import AdminTokenGuard
from kitty_mock_saas.api.deps import ContractBodyDep, RuntimeDep, SandboxesDep
from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.runtime import MockRuntime
from kitty_mock_saas.sandboxes import TooManySandboxes
from kitty_mock_saas.state import activity, directory, events, origins, snapshots
from kitty_mock_saas.state.journal import JournalQuery
from kitty_mock_saas.tracker_fakes.world.edits import TicketChanges
from kitty_mock_saas.tracker_fakes.world.models import FakeTicket
from kitty_mock_saas.versions import versions

# The contract bounds it (1..1000); the stage refused anything else.
ADMIN_LIMIT = Annotated[int, Query()]


async def require_admin(request: Request) -> None:
    token = request.headers.get("x-admin-token")
    if token is None:
        scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
        token = bearer.strip() if scheme.lower() == "bearer" else None
    guard: AdminTokenGuard = request.app.state.admin_guard
    if not guard.is_admin(token, request.client.host if request.client else ""):
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


@public_router.get("/health", operation_id="adminGetHealth")
def get_health(request: Request) -> dict[str, Any]:
    """Ready: the app exists only once fixtures, corpus and trackers are built; and the state and
    the tracker world answer now (`StoreUnavailable` is the contract's 503, so a load balancer
    sends nothing to a replica cut off from its database). A thread's work: a database out of
    reach may take its connect timeout to say so."""
    runtime: MockRuntime = request.app.state.runtime
    runtime.db.data_version(fresh=True)
    runtime.trackers.world.check()
    return {"status": "ok", **versions()}


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


def _world_ticket(ticket: FakeTicket) -> dict[str, Any]:
    return {**ticket.overview(), "body": ticket.body_markdown}


Ticket = Annotated[str, Query(alias="ticket")]
ProviderQuery = Annotated[str, Query()]


@router.get("/ticket", operation_id="adminGetTicket")
async def get_ticket(
    runtime: RuntimeDep, provider: ProviderQuery, ticket: Ticket
) -> dict[str, Any]:
    return _world_ticket(runtime.trackers.ticket(provider, ticket))


@router.patch("/ticket", operation_id="adminUpdateTicket")
async def update_ticket(
    runtime: RuntimeDep, data: ContractBodyDep, provider: ProviderQuery, ticket: Ticket
) -> dict[str, Any]:
    # The contract's field names are the tracker's words; the world says body_markdown.
    changes = {("body_markdown" if name == "body" else name): value for name, value in data.items()}
    edited = runtime.trackers.edit_ticket(provider, ticket, TicketChanges.of(**changes))
    return _world_ticket(edited)


@router.delete("/ticket", operation_id="adminDeleteTicket")
async def delete_ticket(
    runtime: RuntimeDep, provider: ProviderQuery, ticket: Ticket
) -> dict[str, Any]:
    edited = runtime.trackers.edit_ticket(provider, ticket, TicketChanges.of(deleted=True))
    return _world_ticket(edited)


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


@router.post("/journal/find", operation_id="adminFindRequests")
async def find_requests(runtime: RuntimeDep, data: ContractBodyDep) -> dict[str, Any]:
    count, found = runtime.request_log.find(
        JournalQuery.from_request(data), limit=int(data.get("limit", 100))
    )
    return {"count": count, "requests": found}


@router.delete("/journal", operation_id="adminClearJournal")
async def clear_journal(runtime: RuntimeDep) -> dict[str, Any]:
    return {"cleared": runtime.request_log.clear()}


@router.put("/teams/{team}/origin-providers", operation_id="adminSetOriginProviders")
async def set_origin_providers(runtime: RuntimeDep, team: str, data: ContractBodyDep) -> Any:
    """A team's origin provider policy, as an owner sets it in the dashboard."""
    found = directory.set_origin_providers(runtime.db, team, data["origin_providers"])
    if found is None:
        raise ApiError(ErrorCode.not_found, f"No team {team!r}.")
    return {
        "team": found.slug,
        "origin_providers": directory.origin_providers(runtime.db, found.id),
    }


@router.post("/reset", operation_id="adminReset")
async def reset(runtime: RuntimeDep) -> dict[str, Any]:
    runtime.request_log.flush()
    snapshots.reset(runtime.db, runtime.fixtures)
    runtime.trackers.revert_edits()
    return {"reset": True, "sandbox": runtime.sandbox}


@router.get("/snapshots", operation_id="adminListSnapshots")
async def list_snapshots(runtime: RuntimeDep) -> dict[str, Any]:
    return {"snapshots": snapshots.listed(runtime.db)}


# Plain functions: FastAPI runs them in its thread pool, so the copy never holds the event loop.
@router.put("/snapshots/{name}", operation_id="adminSaveSnapshot")
def save_snapshot(runtime: RuntimeDep, name: str) -> JSONResponse:
    try:
        saved = snapshots.save(runtime.db, name)
    except snapshots.TooManySnapshots as exc:
        raise ApiError(ErrorCode.service_unavailable, str(exc), retry_after_seconds=60) from exc
    return JSONResponse(saved, status_code=201)


@router.post("/snapshots/{name}/restore", operation_id="adminRestoreSnapshot")
def restore_snapshot(runtime: RuntimeDep, name: str) -> dict[str, Any]:
    try:
        return snapshots.restore(runtime.db, name)
    except snapshots.SnapshotNotFound as exc:
        raise ApiError(ErrorCode.not_found, f"No snapshot {name!r}.") from exc


@router.delete("/snapshots/{name}", operation_id="adminDeleteSnapshot")
async def delete_snapshot(runtime: RuntimeDep, name: str) -> dict[str, Any]:
    try:
        snapshots.delete(runtime.db, name)
    except snapshots.SnapshotNotFound as exc:
        raise ApiError(ErrorCode.not_found, f"No snapshot {name!r}.") from exc
    return {"deleted": name}


@router.get("/sandboxes", operation_id="adminListSandboxes")
async def list_sandboxes(registry: SandboxesDep) -> dict[str, Any]:
    return {"sandboxes": registry.listed(), "idle_ttl_seconds": registry.idle_ttl_seconds}


@router.post("/sandboxes", operation_id="adminCreateSandbox")
async def create_sandbox(registry: SandboxesDep, data: ContractBodyDep) -> JSONResponse:
    try:
        runtime = registry.create(data.get("name"))
    except TooManySandboxes as exc:
        raise ApiError(ErrorCode.service_unavailable, str(exc), retry_after_seconds=60) from exc
    listed = {s["name"]: s for s in registry.listed()}
    return JSONResponse(listed[str(runtime.sandbox)], status_code=201)


@router.delete("/sandboxes/{name}", operation_id="adminDeleteSandbox")
async def delete_sandbox(registry: SandboxesDep, name: str) -> dict[str, Any]:
    if not registry.delete(name):
        raise ApiError(ErrorCode.not_found, f"No sandbox {name!r}.")
    return {"deleted": name}


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
