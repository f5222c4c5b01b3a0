# Copied from tools/contract_runtime/ by `make generate` (contract data is read from the
# bundled openapi.json next to it). Do not edit.
"""The contract's error catalogue: status, category, retryability, user action and hint per code.

The catalogue is `x-error-catalogue` of `ErrorCode` (`contracts/schemas/error_code.json`): per
code its `status`, `category`, `retryable`, `user_action_required`, `status_default` and `hint`.
Both runtimes read it from here, so a code's status or retryability is written once. Read from
the bundled contract on first use; no import side effect.

`make generate` copies this module into `generated/kitty_contracts/`; it is written, linted and
type-checked here, in `tools/contract_runtime/`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from kitty_contracts.error_category import ErrorCategory
from kitty_contracts.error_code import ErrorCode
from kitty_contracts.validation import openapi_document


@dataclass(frozen=True)
class ErrorSpec:
    """What the contract says about one error code."""

    code: ErrorCode
    status: int
    category: ErrorCategory
    retryable: bool
    user_action_required: bool
    status_default: bool
    hint: str


def _spec(code: str, entry: dict[str, Any]) -> ErrorSpec:
    return ErrorSpec(
        code=ErrorCode(code),
        status=int(entry["status"]),
        category=ErrorCategory(entry["category"]),
        retryable=bool(entry["retryable"]),
        user_action_required=bool(entry["user_action_required"]),
        status_default=bool(entry.get("status_default", False)),
        hint=str(entry["hint"]),
    )


@cache
def error_catalogue() -> Mapping[ErrorCode, ErrorSpec]:
    """Every error code's spec, in the contract's order."""
    entries = openapi_document()["components"]["schemas"]["ErrorCode"]["x-error-catalogue"]
    specs = (_spec(code, entry) for code, entry in entries.items())
    return MappingProxyType({spec.code: spec for spec in specs})


def error_spec(code: ErrorCode | str) -> ErrorSpec:
    """The spec of `code`.

    Raises:
        ValueError: `code` is not a code of the contract.
    """
    return error_catalogue()[ErrorCode(code)]


@cache
def status_default_codes() -> Mapping[int, ErrorCode]:
    """The code a bare status stands for (`status_default`), e.g. 503 → `service_unavailable`."""
    return MappingProxyType(
        {spec.status: spec.code for spec in error_catalogue().values() if spec.status_default}
    )


def default_code_for_status(status: int) -> ErrorCode | None:
    """The code of a bare error status, or None when the catalogue has no code for it."""
    return status_default_codes().get(status)


@cache
def retryable_statuses() -> frozenset[int]:
    """Statuses whose codes are all retryable (429 and the 5xx the contract names)."""
    by_status: dict[int, list[bool]] = {}
    for spec in error_catalogue().values():
        by_status.setdefault(spec.status, []).append(spec.retryable)
    return frozenset(status for status, flags in by_status.items() if all(flags))
