"""Sandboxes: isolated copies of the mock's state inside one process, named by `X-Kitty-Sandbox`.

Each has its own database (seeded from the fixtures on first use), faults and journal, so parallel
CI jobs can share one mock without seeing each other. A sandbox not used for `idle_ttl_seconds`
is dropped. With a state file, a sandbox's database is a file beside it, so every worker process
of one mock sees the same sandbox; otherwise it lives in this process's memory.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from kitty_contracts import ErrorCode
from kitty_contracts.validation import admin_validator
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import ApiError, send_api_error
from .faults import FaultInjector
from .ids import utc_now
from .runtime import MockRuntime
from .settings import MEMORY
from .state import Database, directory
from .state.journal import RequestLog

SANDBOX_HEADER = "x-kitty-sandbox"
# Where the runtime of a request is kept in `scope["state"]`.
RUNTIME = "runtime"
DASHBOARD_PREFIXES = ("/dashboard/",)


class TooManySandboxes(RuntimeError):
    pass


@dataclass
class _Sandbox:
    runtime: MockRuntime
    created_at: str
    last_used: float


def is_sandbox_name(value: str) -> bool:
    """The admin contract's `SandboxName`."""
    return admin_validator("SandboxName").is_valid(value)


class SandboxRegistry:
    """The live sandboxes of one process; `clock` is injected (monotonic seconds)."""

    def __init__(
        self,
        default: MockRuntime,
        *,
        idle_ttl_seconds: float,
        max_sandboxes: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.default = default
        self.idle_ttl_seconds = idle_ttl_seconds
        self.max_sandboxes = max_sandboxes
        self._clock = clock
        self._sandboxes: dict[str, _Sandbox] = {}
        self._lock = threading.Lock()

    def runtime(self, name: str | None) -> MockRuntime:
        """The runtime of sandbox `name` (created on first use), or the default one for None.

        Raises:
            TooManySandboxes: `name` is new and the registry is full.
        """
        if name is None:
            return self.default
        return self.create(name)

    def create(self, name: str | None = None) -> MockRuntime:
        """The sandbox `name` (a random name when None), created and seeded if it is new."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            name = name or f"sbx-{secrets.token_hex(6)}"
            sandbox = self._sandboxes.get(name)
            if sandbox is None:
                if len(self._sandboxes) >= self.max_sandboxes:
                    raise TooManySandboxes(
                        f"The mock holds {self.max_sandboxes} sandboxes; delete one "
                        f"(DELETE /__admin/sandboxes/{{name}}) or wait {self.idle_ttl_seconds:g} s "
                        "for idle ones to expire."
                    )
                sandbox = _Sandbox(self._build(name), utc_now(), now)
                self._sandboxes[name] = sandbox
            sandbox.last_used = now
            return sandbox.runtime

    def existing(self, name: str) -> MockRuntime | None:
        """The sandbox `name` if it lives (its idle time starts again), else None."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            sandbox = self._sandboxes.get(name)
            if sandbox is None:
                return None
            sandbox.last_used = now
            return sandbox.runtime

    def delete(self, name: str) -> bool:
        with self._lock:
            sandbox = self._sandboxes.pop(name, None)
        if sandbox is None:
            return False
        _drop(sandbox.runtime)
        return True

    def listed(self) -> list[dict[str, Any]]:
        now = self._clock()
        with self._lock:
            self._expire(now)
            return [
                {"name": n, "created_at": s.created_at, "idle_seconds": round(now - s.last_used, 3)}
                for n, s in self._sandboxes.items()
            ]

    def close(self) -> None:
        with self._lock:
            sandboxes, self._sandboxes = list(self._sandboxes.values()), {}
        for sandbox in sandboxes:
            sandbox.runtime.request_log.flush()

    def _expire(self, now: float) -> None:
        idle = [n for n, s in self._sandboxes.items() if now - s.last_used > self.idle_ttl_seconds]
        for name in idle:
            _drop(self._sandboxes.pop(name).runtime)

    def _build(self, name: str) -> MockRuntime:
        base = self.default
        db = Database(_sandbox_path(base.settings.state_path, name))
        directory.seed(db, base.fixtures)
        return replace(
            base,
            db=db,
            faults=FaultInjector(
                db, async_bind_default=base.settings.async_bind, random=base.faults.random
            ),
            request_log=RequestLog(db, keep=base.settings.request_log_size),
            sandbox=name,
        )


def _sandbox_path(state_path: str, name: str) -> str:
    if state_path == MEMORY:
        return MEMORY
    path = Path(state_path)
    return str(path.with_name(f"{path.name}.sandboxes") / f"{name}.sqlite3")


def _drop(runtime: MockRuntime) -> None:
    runtime.request_log.flush()
    runtime.db.close()
    if runtime.db.path != MEMORY:
        for suffix in ("", "-wal", "-shm"):
            Path(runtime.db.path + suffix).unlink(missing_ok=True)


class SandboxRouter:
    """Outermost ASGI middleware: puts the runtime a request acts on into `scope["state"]`.

    `X-Kitty-Sandbox` names the sandbox (created on first use); the dashboard's pages also take
    `?sandbox=` (a browser sets no headers), but only for a sandbox that exists.
    """

    def __init__(self, app: ASGIApp, *, registry: SandboxRegistry) -> None:
        self.app = app
        self.registry = registry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        name, from_query = _sandbox_name(scope)
        try:
            if name is not None and not is_sandbox_name(name):
                raise ApiError(
                    ErrorCode.malformed_request,
                    f"{name[:80]!r} is not a sandbox name (letters, digits, '.', '_', '-').",
                    details=[("header.X-Kitty-Sandbox", "not a SandboxName")],
                )
            if from_query and name is not None:
                runtime = self.registry.existing(name)
                if runtime is None:
                    raise ApiError(ErrorCode.not_found, f"No sandbox {name!r}.")
            else:
                runtime = self.registry.runtime(name)
        except TooManySandboxes as exc:
            error = ApiError(ErrorCode.service_unavailable, str(exc), retry_after_seconds=60)
            await send_api_error(scope, send, error)
            return
        except ApiError as error:
            await send_api_error(scope, send, error)
            return
        scope.setdefault("state", {})[RUNTIME] = runtime
        await self.app(scope, receive, send)


def _sandbox_name(scope: Scope) -> tuple[str | None, bool]:
    """The sandbox a request names, and whether it came from the dashboard's query string."""
    for key, value in scope["headers"]:
        if key == SANDBOX_HEADER.encode():
            return value.decode("latin-1"), False
    if scope["path"].startswith(DASHBOARD_PREFIXES) or scope["path"] == "/":
        values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("sandbox")
        if values:
            return values[0], True
    return None, False
