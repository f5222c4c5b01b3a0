"""Prism-style forced answers: `Prefer: code=429`, `Prefer: example=rate_limited` (RFC 7240 syntax).

A forced answer is one the contract documents for the operation: a named example when there is
one for that status or name, else a generic envelope for an error status. Operations that change
state (`x-changes-state` in the contract) are never forced into a success.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from kitty_contracts import ErrorCode
from kitty_contracts.error_catalogue import default_code_for_status
from kitty_contracts.validation import openapi_document

from .errors import ApiError


def parse_prefer(header: str | None) -> dict[str, str]:
    """`Prefer: respond-async, code=429` → {"respond-async": "", "code": "429"}."""
    preferences: dict[str, str] = {}
    for part in (header or "").split(","):
        token, _, value = part.strip().partition("=")
        if token:
            preferences[token.strip().lower()] = value.strip().strip('"')
    return preferences


def _operation(operation_id: str) -> dict[str, Any]:
    for item in openapi_document()["paths"].values():
        for operation in item.values():
            if operation.get("operationId") == operation_id:
                return dict(operation)
    raise KeyError(operation_id)


def _examples(operation: dict[str, Any]) -> list[tuple[int, str, Any]]:
    found = []
    for status, response in operation["responses"].items():
        media = response.get("content", {}).get("application/json", {})
        for name, example in media.get("examples", {}).items():
            found.append((int(status), name, example["value"]))
    return found


def _refuse_forced_success(operation_id: str, operation: dict[str, Any], status: int) -> None:
    """The authority never prints a success it did not decide: a state-changing operation
    (`x-changes-state`) may be forced into its documented errors only."""
    if status < 400 and operation.get("x-changes-state"):
        raise ApiError(
            ErrorCode.validation_failed,
            f"{operation_id} changes state, so Prefer can force only its error answers; send the "
            "request without Prefer to have the SaaS decide.",
            details=[("header.Prefer", "a success answer of a state-changing operation")],
        )


def forced_answer(operation_id: str, preferences: dict[str, str]) -> JSONResponse | None:
    """The answer `Prefer` asks for, or None to serve the request for real."""
    name, code = preferences.get("example"), preferences.get("code")
    if not name and not code:
        return None
    operation = _operation(operation_id)
    examples = _examples(operation)
    wanted_status = int(code) if code and code.isdigit() else None
    for status, example_name, value in examples:
        if (name and example_name == name) or (not name and status == wanted_status):
            _refuse_forced_success(operation_id, operation, status)
            headers = {}
            if isinstance(value, dict) and value.get("retry_after_seconds") is not None:
                headers["Retry-After"] = str(round(value["retry_after_seconds"]))
            return JSONResponse(value, status_code=status, headers=headers)
    if name:
        raise ApiError(
            ErrorCode.validation_failed,
            f"Prefer example={name!r} is not a named example of {operation_id}.",
            details=[("header.Prefer", "unknown example name")],
        )
    if wanted_status is None or str(wanted_status) not in operation["responses"]:
        raise ApiError(
            ErrorCode.validation_failed,
            f"Prefer code={code!r} is not a documented status of {operation_id}.",
            details=[("header.Prefer", "undocumented status")],
        )
    if wanted_status < 400:
        _refuse_forced_success(operation_id, operation, wanted_status)
        return None
    error_code = default_code_for_status(wanted_status)
    if error_code is None:
        raise ApiError(
            ErrorCode.validation_failed,
            f"Prefer code={wanted_status} has no error code in the contract's catalogue.",
            details=[("header.Prefer", "status without an error code")],
        )
    raise ApiError(
        error_code,
        f"Forced by Prefer: code={wanted_status}.",
        retry_after_seconds=1 if wanted_status == 429 else None,
    )
