"""`serve --log-requests`: one line per request on stderr (method, path, status, error code,
latency, sandbox), for every answer the mock gives, refusals at the sandbox door included."""

from __future__ import annotations

import logging
import sys
import time

from starlette.types import Scope

__all__ = ["REQUEST_LOG", "enable_request_log", "log_request"]

REQUEST_LOG = logging.getLogger("kitty_mock_saas.requests")


def enable_request_log() -> None:
    """Send the request lines to stderr (once per process; workers call it too)."""
    if not REQUEST_LOG.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
        REQUEST_LOG.addHandler(handler)
    REQUEST_LOG.setLevel(logging.INFO)
    REQUEST_LOG.propagate = False


def log_request(scope: Scope, status: int, started: float, sandbox: str | None) -> None:
    """One line for the request of `scope`, answered `status`, begun at `started`."""
    state = scope.get("state", {})
    query = scope.get("query_string", b"").decode("latin-1")
    path = scope["path"] + (f"?{query[:80]}" if query else "")
    REQUEST_LOG.info(
        "%s %s %s %s %.1fms sandbox=%s",
        scope["method"],
        path,
        status,
        state.get("error_code") or "-",
        (time.perf_counter() - started) * 1000,
        sandbox or "-",
    )
