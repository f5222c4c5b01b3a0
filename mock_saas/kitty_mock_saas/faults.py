"""Stateful fault injection, shared by every worker through the database.

Status faults: `rate_limit` (429 with Retry-After), `error` (a 5xx), `outage` (503 for the next N
requests); `latency` (added delay, with jitter); `async_bind` (binds answer 202 until cleared).
Wire faults (`connection_reset`, `empty_response`, `truncated_body`, `slow_drip`,
`malformed_json`, `contract_violation`) are carried out by `wire_faults`. Every fault can be
scoped to an operation and a user, and applies to the contract's routes only (`/api/`, `/oauth/`);
admin and dashboard pages stay reachable.
"""

from __future__ import annotations

import random as _random
from collections.abc import Callable
from typing import Any, Literal, get_args

from kitty_contracts import ErrorCode
from kitty_contracts.error_catalogue import default_code_for_status

from .errors import ApiError
from .state import Database, activity

STATUS_FAULTS = ("rate_limit", "error", "outage")
WireFault = Literal[
    "connection_reset",
    "empty_response",
    "truncated_body",
    "slow_drip",
    "malformed_json",
    "contract_violation",
]
WIRE_FAULTS: tuple[WireFault, ...] = get_args(WireFault)
FAULT_KINDS = (*STATUS_FAULTS, "latency", "async_bind", *WIRE_FAULTS)
# The contract's routes: faults apply to them and only they are journalled (not admin calls, nor
# the dashboard's own polling, which would flood the journal).
CONTRACT_PREFIXES = ("/api/", "/oauth/")


class FaultInjector:
    """Reads and consumes the active faults of one state database; `random` is injected."""

    def __init__(
        self,
        db: Database,
        *,
        async_bind_default: bool,
        random: Callable[[], float] = _random.random,
    ) -> None:
        self._db = db
        self._async_bind_default = async_bind_default
        self.random = random

    def async_bind(self) -> bool:
        if self._async_bind_default:
            return True
        return any(f["kind"] == "async_bind" for f in activity.active_faults(self._db))

    def any(self) -> bool:
        return activity.any_fault(self._db)

    def latency_seconds(self, operation: str | None, user: str | None) -> float:
        """The delay of the next matching latency fault: `ms` ± up to `jitter_ms`, never below 0."""
        fault = activity.take_fault(self._db, ("latency",), operation=operation, user=user)
        return 0.0 if fault is None else self.delay_of(fault)

    def delay_of(self, latency: dict[str, Any]) -> float:
        """Seconds for a latency fault: `ms` plus or minus up to `jitter_ms`, uniformly."""
        jitter = float(latency.get("jitter_ms", 0))
        ms = float(latency.get("ms", 0)) + (self.random() * 2 - 1) * jitter
        return max(0.0, ms) / 1000

    def wire_fault(self, operation: str | None, user: str | None) -> dict[str, Any] | None:
        """The next wire fault that applies (its kind and parameters), consuming one use."""
        return activity.take_fault(self._db, WIRE_FAULTS, operation=operation, user=user)

    def failure(self, operation: str | None, user: str | None) -> ApiError | None:
        """The error the next request must answer with, consuming one use of its fault."""
        fault = activity.take_fault(self._db, STATUS_FAULTS, operation=operation, user=user)
        if fault is None:
            return None
        if fault["kind"] == "rate_limit":
            wait = float(fault.get("retry_after_seconds", 1))
            return ApiError(
                ErrorCode.rate_limited,
                f"Rate limited (injected). Retry in {wait:g} seconds.",
                retry_after_seconds=wait,
                source="provider",
            )
        if fault["kind"] == "outage":
            return ApiError(
                ErrorCode.service_unavailable,
                "The SaaS is unavailable (injected outage). Retry later.",
                retry_after_seconds=fault.get("retry_after_seconds"),
            )
        # The admin contract allows only statuses the catalogue has a default code for.
        status = int(fault.get("status", 500))
        return ApiError(
            default_code_for_status(status) or ErrorCode.internal_error,
            f"Injected {status} failure.",
        )
