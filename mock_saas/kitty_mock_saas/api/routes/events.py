"""Event delivery of the contract: event batches and dossier artifact pushes."""

from __future__ import annotations

import re
import zlib
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from kitty_contracts import DossierPushRequest, DossierPushResponse, ErrorCode, EventBatchResponse

from kitty_mock_saas.api.deps import RuntimeDep, UserDep, check_contract, parse_json
from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.state import events

router = APIRouter()
ProtocolHeader = Annotated[str | None, Header(alias="X-Spec-Kitty-Sync-Protocol")]
# ASCII digits only: str.isdigit() also accepts "²", which int() then refuses.
PROTOCOL_VERSION = re.compile(r"[0-9]+\.[0-9]+")


def _check_protocol(runtime: RuntimeDep, version: str | None) -> None:
    if version is None:
        return
    major = version.partition(".")[0]
    if not PROTOCOL_VERSION.fullmatch(version):
        raise ApiError(
            ErrorCode.validation_failed,
            f"X-Spec-Kitty-Sync-Protocol {version!r} is not MAJOR.MINOR.",
            details=[("header.X-Spec-Kitty-Sync-Protocol", "expected MAJOR.MINOR")],
        )
    supported = runtime.settings.sync_protocol_major
    if int(major) != supported:
        hint = (
            "upgrade spec-kitty"
            if int(major) < supported
            else "this SaaS is older than your client"
        )
        raise ApiError(
            ErrorCode.protocol_mismatch,
            f"Sync protocol {version} is not supported (this SaaS speaks {supported}.x): {hint}.",
        )


async def _read_body(request: Request, limit: int) -> bytes:
    """The decompressed body, refusing more than `limit` bytes (also for gzip bombs)."""
    raw = await request.body()
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding == "gzip":
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            data = inflater.decompress(raw, limit + 1)
        except zlib.error as exc:
            raise ApiError(
                ErrorCode.malformed_request, f"The body is not valid gzip: {exc}."
            ) from exc
        if not inflater.eof and len(data) <= limit:
            raise ApiError(ErrorCode.malformed_request, "The gzip body is truncated.")
    elif encoding in ("identity", ""):
        data = raw
    else:
        raise ApiError(
            ErrorCode.malformed_request,
            f"Content-Encoding {encoding!r} is not supported; use gzip.",
            details=[("header.Content-Encoding", "gzip or identity")],
        )
    if len(data) > limit:
        raise ApiError(
            ErrorCode.payload_too_large,
            f"The batch is over {limit // 1024} KiB decompressed; split it into smaller batches.",
        )
    return data


@router.post("/api/v1/events/batch/", operation_id="ingestEventBatch")
async def ingest_event_batch(
    request: Request,
    runtime: RuntimeDep,
    user: UserDep,
    protocol: ProtocolHeader = None,
) -> JSONResponse:
    """Store each event on its own: accepted, duplicate (same event_id) or rejected with a reason."""
    _check_protocol(runtime, protocol)
    data = parse_json(await _read_body(request, runtime.settings.max_batch_bytes))
    batch = check_contract("EventBatchRequest", data)
    results = events.ingest(runtime.db, batch["events"], user_id=user.id)
    return JSONResponse(EventBatchResponse(results=results).model_dump(mode="json"))


@router.post("/api/dossier/push-content/", operation_id="pushDossierContent")
async def push_dossier_content(
    request: Request,
    runtime: RuntimeDep,
    user: UserDep,
    protocol: ProtocolHeader = None,
) -> JSONResponse:
    """Store an artifact body: 201 stored, or 200 already_exists for the same content."""
    _check_protocol(runtime, protocol)
    data = parse_json(await _read_body(request, 8 * 1024 * 1024))
    push = DossierPushRequest.model_validate(check_contract("DossierPushRequest", data))
    stored = events.store_artifact(runtime.db, push, user_id=user.id)
    body = DossierPushResponse.model_validate(
        {
            "status": "stored" if stored else "already_exists",
            "artifact_path": push.artifact_path,
            "content_hash": push.content_hash,
        }
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=201 if stored else 200)
