"""Every error the mock answers is one `ErrorEnvelope` (the contract's), raised as `ApiError`."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from kitty_contracts import ErrorCode, ErrorDetail, ErrorEnvelope
from kitty_contracts.error_catalogue import default_code_for_status, error_spec
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope, Send

from .store import StoreUnavailable


def status_of(code: ErrorCode) -> int:
    """The status the contract's error catalogue gives `code`."""
    return error_spec(code).status


class ApiError(Exception):
    """An error answer: status, category, retryability and user action come from the catalogue."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        *,
        user_action_required: bool | None = None,
        retry_after_seconds: float | None = None,
        source: str = "saas",
        details: Sequence[tuple[str, str]] = (),
        headers: Mapping[str, str] | None = None,
        oauth_error: str | None = None,
        effect_certainty: str = "no_effect",
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        # Always the catalogue's status: a status and a code never disagree.
        self.status = status_of(code)
        self.user_action_required = (
            error_spec(code).user_action_required
            if user_action_required is None
            else user_action_required
        )
        self.retry_after_seconds = retry_after_seconds
        self.source = source
        self.details = list(details)
        self.headers = dict(headers or {})
        self.oauth_error = oauth_error
        self.effect_certainty = effect_certainty

    def envelope(self, *, idempotency_key: str | None, request_id: str | None) -> ErrorEnvelope:
        # Errors the mock raises on purpose happen before any state changes, so they have no
        # effect; an unexpected failure says `unknown`. Upstream clients only retry when told so.
        spec = error_spec(self.code)
        fields: dict[str, Any] = {
            "error_code": self.code,
            "error_category": spec.category,
            # The names the SaaS's frozen envelope and newer clients read first; same values.
            "code": self.code,
            "category": spec.category,
            "message": self.message[:4096],
            "retryable": spec.retryable,
            "user_action_required": self.user_action_required,
            "source": self.source,
            "effect_certainty": self.effect_certainty,
            "request_id": request_id,
        }
        if self.retry_after_seconds is not None:
            fields["retry_after_seconds"] = self.retry_after_seconds
        if idempotency_key is not None:
            fields["idempotency_key"] = idempotency_key
        if self.oauth_error is not None:
            fields["error"] = self.oauth_error
        if self.details:
            fields["details"] = [
                ErrorDetail(field=f[:512], issue=i[:2048]) for f, i in self.details
            ]
        return ErrorEnvelope.model_validate(fields)


# Mock-only advice rides in a header: the envelope stays exactly what the real SaaS answers.
MOCK_HINT_HEADER = "X-Kitty-Mock-Hint"
_UNAUTHENTICATED_HINTS = {
    True: "mock: the admin token is in the serve banner and in "
    "~/.cache/kitty-mock-saas/admin-token-PORT (send it as X-Admin-Token)",
    False: "mock: the seeded users' tokens (tok-alice, tok-bob, tok-carol in the default "
    "fixtures) are in the serve banner and on the dashboard",
}


def error_response(request: Request, error: ApiError) -> JSONResponse:
    key = request.headers.get("idempotency-key")
    if key is not None and not (8 <= len(key) <= 255):
        key = None
    request_id = getattr(request.state, "request_id", None)
    body = error.envelope(idempotency_key=key, request_id=request_id)
    request.state.error_code = error.code.value
    headers = dict(error.headers)
    if error.retry_after_seconds is not None:
        headers.setdefault("Retry-After", str(max(0, round(error.retry_after_seconds))))
    if error.code is ErrorCode.unauthenticated:
        admin = request.url.path.startswith("/__admin/")
        headers.setdefault(MOCK_HINT_HEADER, _UNAUTHENTICATED_HINTS[admin])
    return JSONResponse(body.model_dump(mode="json"), status_code=error.status, headers=headers)


async def handle_api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(request, exc)


async def handle_validation_error(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's own parameter/body validation, reshaped into the envelope."""
    assert isinstance(exc, RequestValidationError)
    details = [
        (".".join(str(part) for part in err.get("loc", ())), str(err.get("msg", "invalid")))
        for err in exc.errors()
    ]
    if any(err.get("type") == "json_invalid" for err in exc.errors()):
        error = ApiError(
            ErrorCode.malformed_request, "The request body is not valid JSON.", details=details
        )
    else:
        first = details[0][0] if details else "request"
        error = ApiError(ErrorCode.validation_failed, f"Invalid request: {first}.", details=details)
    return error_response(request, error)


async def handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    """Starlette's 404/405 and friends, in the envelope."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 405:
        error = ApiError(
            ErrorCode.method_not_allowed,
            f"{request.method} is not allowed on {request.url.path}.",
            headers=dict(exc.headers or {}),
        )
    elif exc.status_code == 404:
        error = ApiError(
            ErrorCode.not_found, f"No such endpoint: {request.method} {request.url.path}."
        )
    else:
        code = default_code_for_status(exc.status_code) or ErrorCode.malformed_request
        error = ApiError(code, str(exc.detail))
    return error_response(request, error)


async def handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    error = ApiError(
        ErrorCode.internal_error,
        f"Unexpected mock failure: {type(exc).__name__}.",
        effect_certainty="unknown",
    )
    return error_response(request, error)


def store_unavailable(exc: StoreUnavailable) -> ApiError:
    """The database is down or unreachable: nothing was written (unless the connection was lost
    while committing), the client may retry (with its Idempotency-Key, a stored write replays)."""
    if exc.effect_unknown:
        return ApiError(
            ErrorCode.service_unavailable,
            f"The mock's database went away while committing ({str(exc)[:200]}). Retry.",
            retry_after_seconds=1,
            effect_certainty="unknown",
        )
    return ApiError(
        ErrorCode.service_unavailable,
        f"The mock's database is unavailable ({str(exc)[:200]}); nothing was changed. Retry.",
        retry_after_seconds=1,
    )


async def send_api_error(scope: Scope, send: Send, error: ApiError) -> None:
    """`error` as an answer, from ASGI middleware (outside FastAPI's exception handlers)."""
    headers = {k.lower().encode(): v.encode("latin-1") for k, v in error.headers.items()}
    key = dict(scope["headers"]).get(b"idempotency-key")
    state = scope.setdefault("state", {})
    envelope = error.envelope(
        idempotency_key=key.decode("latin-1") if key and 8 <= len(key) <= 255 else None,
        request_id=state.get("request_id"),
    )
    state["error_code"] = error.code.value
    body = json.dumps(envelope.model_dump(mode="json")).encode()
    headers[b"content-type"] = b"application/json"
    headers[b"content-length"] = str(len(body)).encode()
    if error.retry_after_seconds is not None:
        headers[b"retry-after"] = str(max(0, round(error.retry_after_seconds))).encode()
    await send(
        {"type": "http.response.start", "status": error.status, "headers": list(headers.items())}
    )
    await send({"type": "http.response.body", "body": body})
