"""`kitty-mock-saas tracker-fake`: one provider fake (Jira, Linear or GitHub) on a real socket.

The same Starlette app the mock calls in process (`tracker_fakes/`), over a world of its own
(seeded with the default world), so `serve --trackers FILE` can reach a tracker over HTTP with
the very connector code that talks to the real one. Beside the provider's API it serves
`GET /__fake/requests` (and `DELETE` to clear): every request it received, with the account the
credential acted as and a SHA-256 prefix of the credential, so a test can tell whose token came
over the wire without the fake ever repeating a token.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from typing import Any

from kitty_contracts import Provider
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from ._common import request_token
from .embedded import fake_app
from .world import TrackerWorld, seed_default_world

__all__ = ["RECORDER_PATH", "create_tracker_fake", "token_fingerprint"]

RECORDER_PATH = "/__fake/requests"
_KEEP = 1000


def token_fingerprint(token: str) -> str:
    """What the recorder shows of a credential: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


class _Recorder:
    """Keeps the last requests (method, path, account, token fingerprint) of the fake."""

    def __init__(self, app: ASGIApp, provider: Provider, world: TrackerWorld) -> None:
        self.app = app
        self.provider = provider
        self.world = world
        self._seen: deque[dict[str, Any]] = deque(maxlen=_KEEP)
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if scope["path"] == RECORDER_PATH:
            await self._answer(request)(scope, receive, send)
            return
        token = request_token(request)
        entry = {
            "method": scope["method"],
            "path": scope["path"],
            "account": self.world.account_for_token(self.provider, token) if token else None,
            "token_sha256": token_fingerprint(token) if token else None,
        }
        with self._lock:
            self._seen.append(entry)
        await self.app(scope, receive, send)

    def _answer(self, request: Request) -> JSONResponse:
        with self._lock:
            if request.method == "DELETE":
                cleared = len(self._seen)
                self._seen.clear()
                return JSONResponse({"cleared": cleared})
            return JSONResponse({"provider": self.provider.value, "requests": list(self._seen)})


def create_tracker_fake(provider: Provider, *, world_path: str | None = None) -> ASGIApp:
    """`provider`'s fake over the world at `world_path` (":memory:" when None), seeded with the
    default world (idempotent, so a kept world file keeps its own changes)."""
    world = TrackerWorld(world_path or ":memory:")
    seed_default_world(world)
    return _Recorder(fake_app(provider, world), provider, world)
