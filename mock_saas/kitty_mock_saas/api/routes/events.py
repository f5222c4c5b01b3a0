"""Event delivery of the contract: event batches and dossier artifact pushes."""

from __future__ import annotations

import sys
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse
from kitty_contracts import DossierPushRequest, DossierPushResponse, ErrorCode, EventBatchResponse

from kitty_mock_saas.api.deps import ContractBodyDep, RuntimeDep, UserDep
from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.state import events

router = APIRouter()
ProtocolHeader = Annotated[str | None, Header(alias="X-Spec-Kitty-Sync-Protocol")]


def _check_protocol(runtime: RuntimeDep, version: str | None) -> None:
    """412 for a major version this SaaS does not speak (the stage checked it is MAJOR.MINOR)."""
    if version is None:
        return
    digits = version.partition(".")[0]
    # The contract bounds the digits, not the value: a 5000-digit major is simply too new.
    major = int(digits) if len(digits) < 19 else sys.maxsize
    supported = runtime.settings.sync_protocol_major
    if major != supported:
        hint = "upgrade spec-kitty" if major < supported else "this SaaS is older than your client"
        raise ApiError(
            ErrorCode.protocol_mismatch,
            f"Sync protocol {version[:40]} is not supported (this SaaS speaks {supported}.x): {hint}.",
        )


@router.post("/api/v1/events/batch/", operation_id="ingestEventBatch")
async def ingest_event_batch(
    runtime: RuntimeDep,
    user: UserDep,
    batch: ContractBodyDep,
    protocol: ProtocolHeader = None,
) -> JSONResponse:
    """Store each event on its own: accepted, duplicate (same event_id) or rejected with a reason."""
    _check_protocol(runtime, protocol)
    results = events.ingest(runtime.db, batch["events"], user_id=user.id)
    return JSONResponse(EventBatchResponse(results=results).model_dump(mode="json"))


@router.post("/api/dossier/push-content/", operation_id="pushDossierContent")
async def push_dossier_content(
    runtime: RuntimeDep,
    user: UserDep,
    data: ContractBodyDep,
    protocol: ProtocolHeader = None,
) -> JSONResponse:
    """Store an artifact body: 201 stored, or 200 already_exists for the same content."""
    _check_protocol(runtime, protocol)
    push = DossierPushRequest.model_validate(data)
    stored = events.store_artifact(runtime.db, push, user_id=user.id)
    body = DossierPushResponse.model_validate(
        {
            "status": "stored" if stored else "already_exists",
            "artifact_path": push.artifact_path,
            "content_hash": push.content_hash,
        }
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=201 if stored else 200)
