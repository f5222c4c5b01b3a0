"""Sandboxes: isolated copies of the mock's state, named by `X-Kitty-Sandbox`.

Each has its own database (seeded from the fixtures on first use), faults and journal, so parallel
CI jobs can share one mock without seeing each other. Only an authenticated caller (a user's
token or the admin token) creates one: the registry is capped (`max_sandboxes`, then 503). A sandbox not used for `idle_ttl_seconds`
is dropped. With a state file, a sandbox's database is a file beside it and the registry lives in
the state file, so every worker process of one mock sees the same sandboxes; in memory, they live
in the one process. On PostgreSQL, the registry is in the state's schema and each sandbox's state
in a schema of its own, so every replica sees, isolates and expires the same sandboxes.
"""

from __future__ import annotations

import hmac
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from kitty_contracts import ErrorCode
from kitty_contracts.validation import admin_validator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import ApiError, send_api_error, store_unavailable
from .faults import FaultInjector
from .ids import ulid, utc_now
from .request_log import log_request
from .runtime import MockRuntime
from .settings import MEMORY
from .state import PostgresState, directory, open_state
from .state.journal import RequestLog
from .store import Connection, StoreUnavailable
from .store.schemas import sandbox_schema, sandbox_world_schema

SANDBOX_HEADER = "x-kitty-sandbox"
# Where the runtime of a request is kept in `scope["state"]`.
RUNTIME = "runtime"
DASHBOARD_PREFIXES = ("/dashboard/",)


class TooManySandboxes(RuntimeError):
    pass


def is_sandbox_name(value: str) -> bool:
    """The admin contract's `SandboxName`."""
    return admin_validator("SandboxName").is_valid(value)


@dataclass(frozen=True)
class _Touched:
    generation: str | None  # None: no such sandbox
    created: bool
    expired: list[str]
    # Every live sandbox's generation: a runtime this process holds of any other is over.
    live: dict[str, str]


class SandboxRegistry:
    """The sandboxes of one mock: their records in the default state database (so every worker
    process agrees on which live, and since when), their open runtimes per process.

    A record's `generation` changes when a name is created anew, so a worker still holding the
    runtime of an expired or deleted sandbox opens it afresh. `clock` (wall-clock seconds, shared
    by the workers) is injected.
    """

    def __init__(
        self,
        default: MockRuntime,
        *,
        idle_ttl_seconds: float,
        max_sandboxes: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.default = default
        self.idle_ttl_seconds = idle_ttl_seconds
        self.max_sandboxes = max_sandboxes
        self._clock = clock
        self._open: dict[str, tuple[str, MockRuntime]] = {}
        self._lock = threading.RLock()

    def runtime(self, name: str | None) -> MockRuntime:
        """The runtime of sandbox `name` (created on first use), or the default one for None.

        Raises:
            TooManySandboxes: `name` is new and the registry is full.
        """
        return self.default if name is None else self.create(name)

    def create(self, name: str | None = None) -> MockRuntime:
        """The sandbox `name` (a random name when None), created and seeded if it is new."""
        runtime = self._use(name or f"sbx-{secrets.token_hex(6)}", create=True)
        assert runtime is not None
        return runtime

    def existing(self, name: str) -> MockRuntime | None:
        """The sandbox `name` if it lives (its idle time starts again), else None."""
        return self._use(name, create=False)

    def delete(self, name: str) -> bool:
        with self._lock:
            with self.default.db.write() as conn:
                found = conn.execute("DELETE FROM sandboxes WHERE name = ?", (name,)).rowcount
                self._drop_schemas(conn, [name])
            self._close(name, delete_files=True)
        return bool(found)

    def listed(self) -> list[dict[str, Any]]:
        now = self._clock()
        with self._lock:
            with self.default.db.write() as conn:
                expired = self._expired_in(conn, now)
                rows = conn.execute(
                    "SELECT name, created_at, last_used FROM sandboxes ORDER BY created_at, name"
                ).fetchall()
            for name in expired:
                self._close(name, delete_files=True)
        return [
            {
                "name": r["name"],
                "created_at": r["created_at"],
                "idle_seconds": round(max(0.0, now - r["last_used"]), 3),
            }
            for r in rows
        ]

    def close(self) -> None:
        with self._lock:
            for _, runtime in self._open.values():
                runtime.request_log.flush()

    def _use(self, name: str, *, create: bool) -> MockRuntime | None:
        with self._lock:
            touched = self._touch(name, create=create, now=self._clock())
            for gone in touched.expired:
                self._close(gone, delete_files=True)
            # Sandboxes another process or replica deleted, expired or made anew: their runtimes
            # here (and the connections they hold) go now, not when this process next meets them.
            for other, (generation, _) in list(self._open.items()):
                if other != name and touched.live.get(other) != generation:
                    self._close(other, delete_files=False)
            if touched.generation is None:
                return None
            cached = self._open.get(name)
            if cached is not None and cached[0] == touched.generation:
                return cached[1]
            # A new generation: whatever this process or an earlier one left of the name goes.
            self._close(name, delete_files=touched.created)
            runtime = self._build(name)
            self._open[name] = (touched.generation, runtime)
            return runtime

    def _touch(self, name: str, *, create: bool, now: float) -> _Touched:
        """Expire idle records, then mark `name` used (creating its record if asked)."""
        with self.default.db.write() as conn:
            expired = self._expired_in(conn, now)
            live = {
                str(r["name"]): str(r["generation"])
                for r in conn.execute("SELECT name, generation FROM sandboxes").fetchall()
            }
            if name in live:
                conn.execute("UPDATE sandboxes SET last_used = ? WHERE name = ?", (now, name))
                return _Touched(live[name], False, expired, live)
            if not create:
                return _Touched(None, False, expired, live)
            if len(live) >= self.max_sandboxes:
                raise TooManySandboxes(
                    f"The mock holds {self.max_sandboxes} sandboxes; delete one "
                    f"(DELETE /__admin/sandboxes/{{name}}) or wait {self.idle_ttl_seconds:g} s "
                    "for idle ones to expire."
                )
            generation = ulid()
            self._drop_schemas(conn, [name])  # what an earlier generation may have left
            conn.execute(
                "INSERT INTO sandboxes (name, generation, created_at, last_used)"
                " VALUES (?, ?, ?, ?)",
                (name, generation, utc_now(), now),
            )
            return _Touched(generation, True, expired, {**live, name: generation})

    def _expired_in(self, conn: Connection, now: float) -> list[str]:
        limit = now - self.idle_ttl_seconds
        rows = conn.execute("SELECT name FROM sandboxes WHERE last_used < ?", (limit,))
        names = [str(r["name"]) for r in rows.fetchall()]
        if names:
            conn.execute("DELETE FROM sandboxes WHERE last_used < ?", (limit,))
            self._drop_schemas(conn, names)
        return names

    def _drop_schemas(self, conn: Connection, names: list[str]) -> None:
        """On PostgreSQL, the sandboxes' states and world overlays go with their records, in the
        same transaction: no replica sees a record without its state or a new record over an
        old state."""
        if isinstance(self.default.db, PostgresState):
            # Dropping a schema's tables is catalogue work that a busy server may take longer
            # over than one request's statement timeout; failing it would keep the sandbox.
            conn.execute("SET LOCAL statement_timeout = '30s'")
            for name in names:
                for schema in (sandbox_schema(name), sandbox_world_schema(name)):
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    def _close(self, name: str, *, delete_files: bool) -> None:
        """Close this process's runtime of `name`, a sandbox generation that is over; with
        `delete_files`, drop its state file and world overlay too."""
        cached = self._open.pop(name, None)
        if cached is not None:
            # Its journal goes with it (on PostgreSQL its tables are gone, or a new generation's).
            cached[1].request_log.discard()
            cached[1].db.close()
            cached[1].trackers.release()
        path = _sandbox_path(self.default.settings.state_path, name)
        if delete_files and path != MEMORY:
            for suffix in ("", "-wal", "-shm"):
                Path(path + suffix).unlink(missing_ok=True)
            shutil.rmtree(path + ".snapshots", ignore_errors=True)
            # The sandbox's world overlay, if it edited one (no runtime of it was open here).
            self.default.trackers.for_sandbox(self._world_place(name, path)).drop()

    def _build(self, name: str) -> MockRuntime:
        base = self.default
        path = _sandbox_path(base.settings.state_path, name)
        db = open_state(path, database_url=base.settings.database_url, schema=sandbox_schema(name))
        directory.seed(db, base.fixtures)
        return replace(
            base,
            db=db,
            trackers=base.trackers.for_sandbox(self._world_place(name, path)),
            faults=FaultInjector(
                db, async_bind_default=base.settings.async_bind, random=base.faults.random
            ),
            request_log=RequestLog(db, keep=base.settings.request_log_size),
            sandbox=name,
        )

    def _world_place(self, name: str, sandbox_path: str) -> str:
        """Where a sandbox's tracker world overlay (made on its first ticket edit) lives: in a
        schema of its own on a PostgreSQL world, else beside the sandbox's state."""
        if self.default.settings.database_url is not None:
            return sandbox_world_schema(name)
        return MEMORY if sandbox_path == MEMORY else f"{sandbox_path}.world"


def _sandbox_path(state_path: str, name: str) -> str:
    if state_path == MEMORY:
        return MEMORY
    path = Path(state_path)
    return str(path.with_name(f"{path.name}.sandboxes") / f"{name}.sqlite3")


class SandboxRouter:
    """Outermost ASGI middleware: puts the runtime a request acts on into `scope["state"]`.

    `X-Kitty-Sandbox` names the sandbox (created on first use); the dashboard's pages also take
    `?sandbox=` (a browser sets no headers), but only for a sandbox that exists.
    """

    def __init__(self, app: ASGIApp, *, registry: SandboxRegistry) -> None:
        self.app = app
        self.registry = registry

    async def _refuse(
        self, scope: Scope, send: Send, error: ApiError, started: float, name: str | None
    ) -> None:
        """Answer `error` before any runtime took the request; logged like any other answer."""
        await send_api_error(scope, send, error)
        if self.registry.default.settings.log_requests:
            log_request(scope, error.status, started, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        name, from_query = _sandbox_name(scope)
        answered = False

        async def watched_send(message: Message) -> None:
            nonlocal answered
            answered = answered or message["type"] == "http.response.start"
            await send(message)

        try:
            await self._route(scope, receive, watched_send, started, name, from_query)
        except StoreUnavailable as exc:
            # Wherever the database failed (choosing the sandbox, a fault, a route): the
            # contract's 503, unless an answer had begun (then the connection just ends).
            if answered:
                raise
            await self._refuse(scope, send, store_unavailable(exc), started, name)

    async def _route(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        started: float,
        name: str | None,
        from_query: bool,
    ) -> None:
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
            elif name is not None:
                existing = self.registry.existing(name)
                if existing is None and not self._may_create(scope):
                    # Anyone could otherwise fill the registry and make the mock answer 503.
                    raise ApiError(
                        ErrorCode.unauthenticated,
                        f"Sandbox {name!r} does not exist, and only an authenticated caller "
                        "(a user's bearer token or the admin token in X-Admin-Token) creates one.",
                        headers={"WWW-Authenticate": "Bearer"},
                    )
                runtime = existing or self.registry.runtime(name)
            else:
                runtime = self.registry.default
        except TooManySandboxes as exc:
            await self._refuse(
                scope,
                send,
                ApiError(ErrorCode.service_unavailable, str(exc), retry_after_seconds=60),
                started,
                name,
            )
            return
        except ApiError as error:
            await self._refuse(scope, send, error, started, name)
            return
        scope.setdefault("state", {})[RUNTIME] = runtime
        await self.app(scope, receive, send)

    def _may_create(self, scope: Scope) -> bool:
        """Whether the request carries a valid user token or the admin token."""
        default = self.registry.default
        admin_token = default.settings.admin_token
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        given_admin = headers.get("x-admin-token")
        if given_admin is not None and hmac.compare_digest(given_admin, admin_token):
            return True
        scheme, _, token = headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return False
        if hmac.compare_digest(token, admin_token):
            return True
        return directory.user_by_token(default.db, token) is not None


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
