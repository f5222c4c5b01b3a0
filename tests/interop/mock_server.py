"""The SaaS under test as a real process on 127.0.0.1, plus its admin controls.

Every admin call the interop scenarios need is isolated in one small function here
(`enable_async_bind`, `inject_rate_limit`, `stored_events`, ...) so that adapting to the mock's
exact admin surface is a one-place change.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.interop.upstream_cli import SessionSpec, default_session

ADMIN_TOKEN = "admin-secret"
# A bearer the mock does not accept, and the refresh token it exchanges for alice's `tok-alice` at
# `POST /oauth/token` (grant_type=refresh_token, client_id=cli_native).
STALE_ACCESS_TOKEN = "tok-alice-expired"
REFRESH_TOKEN = "refresh-alice"
HOST = "127.0.0.1"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
ADMIN_TIMEOUT_S = 10.0
# Replaces the mock's executable (the harness appends `serve --host ... --port ... --state ...`),
# e.g. `python /tmp/stubsaas/stub.py` while the real mock is being built.
MOCK_CMD_ENV = "KITTY_INTEROP_MOCK_CMD"
# `kitty-mock-saas serve` exits 3 when the port is taken: only that is worth another port.
EXIT_PORT_IN_USE = 3


@dataclass(frozen=True)
class RunningMock:
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def mock_command(port: int) -> list[str]:
    override = os.environ.get(MOCK_CMD_ENV)  # noqa: TID251 - test configuration
    if override:
        prefix = shlex.split(override)
    else:
        prefix = [str(Path(sys.executable).with_name("kitty-mock-saas"))]
    return [
        *prefix, "serve", "--host", HOST, "--port", str(port), "--state", ":memory:",
        "--admin-token", ADMIN_TOKEN,
    ]  # fmt: skip


def _answers(base_url: str) -> bool:
    try:
        httpx.get(base_url + "/", timeout=1.0)
    except httpx.HTTPError:
        return False
    return True


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_S)


@contextlib.contextmanager
def running_mock(log_dir: Path, attempts: int = 3) -> Iterator[RunningMock]:
    """Start the mock on a free 127.0.0.1 port, wait until it answers HTTP, always stop it.

    A few attempts cover the small window in which another process may grab the probed port
    between probing and binding; any other failure is reported at once with the mock's output.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    for attempt in range(attempts):
        port = _free_port()
        base_url = f"http://{HOST}:{port}"
        log_path = log_dir / f"mock-{attempt}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                mock_command(port), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        mock = RunningMock(base_url=base_url, process=process, log_path=log_path)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while process.poll() is None and not _answers(base_url):
                if time.monotonic() >= deadline:
                    break
                time.sleep(0.1)
            if process.poll() is not None or not _answers(base_url):
                failures.append(f"{mock_command(port)} (exit {process.poll()}):\n{mock.log_tail()}")
                if process.poll() == EXIT_PORT_IN_USE:
                    continue
                break
            yield mock
            return
        finally:
            _stop(process)
    raise RuntimeError("the mock SaaS did not start:\n" + "\n".join(failures))


# --------------------------------------------------------------------------------------------
# Admin controls (adapt here when the mock's admin surface settles)
# --------------------------------------------------------------------------------------------


def _admin(method: str, base_url: str, path: str, json_body: Any = None) -> httpx.Response:
    response = httpx.request(
        method,
        base_url + path,
        json=json_body,
        headers={"X-Admin-Token": ADMIN_TOKEN},
        timeout=ADMIN_TIMEOUT_S,
    )
    response.raise_for_status()
    return response


def enable_async_bind(base_url: str) -> None:
    """Make binds answer 202 + an operation to poll (the CLI never sends `Prefer: respond-async`)."""
    _admin("POST", base_url, "/__admin/faults", {"async_bind": True})


def disable_async_bind(base_url: str) -> None:
    """Clears every injected fault (the admin API has no per-kind removal)."""
    _admin("DELETE", base_url, "/__admin/faults")


def inject_rate_limit(base_url: str, count: int = 1, retry_after_seconds: int = 1) -> None:
    """The next `count` tracker calls answer 429 with `retry_after_seconds` in the body."""
    _admin(
        "POST",
        base_url,
        "/__admin/faults",
        {"rate_limit": {"count": count, "retry_after_seconds": retry_after_seconds}},
    )


def stored_events(base_url: str, event_type: str | None = None) -> list[dict[str, Any]]:
    """Events the mock stored from `POST /api/v1/events/batch/`, as the CLI sent them.

    The admin API lists `{"received_at": ..., "event": {...}}` items, newest first.
    """
    params = {"limit": 1000, **({"event_type": event_type} if event_type else {})}
    body = _admin("GET", base_url, "/__admin/events?" + urlencode(params)).json()
    items = body.get("events", []) if isinstance(body, dict) else body
    events = [item.get("event", item) for item in items if isinstance(item, dict)]
    return [event for event in events if isinstance(event, dict)]


def origin_links(base_url: str) -> list[dict[str, Any]]:
    """The mock's authoritative MissionOriginLinks (`mission_id`, `external_issue_key`, ...)."""
    body = _admin("GET", base_url, "/__admin/origin-links?limit=1000").json()
    links = body.get("origin_links", []) if isinstance(body, dict) else body
    return [link for link in links if isinstance(link, dict)]


def session_for(base_url: str, access_token: str = "tok-alice") -> SessionSpec:
    """The session `spec-kitty auth login` would store: identity and teams from `GET /api/v1/me`.

    Falls back to the default fixture's shape when the server has no `/api/v1/me`.
    """
    fallback = default_session()
    try:
        response = httpx.get(
            base_url + "/api/v1/me",
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=ADMIN_TIMEOUT_S,
        )
        me = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        me = None
    if not isinstance(me, dict) or not isinstance(me.get("teams"), list) or not me.get("email"):
        return SessionSpec(
            email=fallback.email,
            name=fallback.name,
            access_token=access_token,
            refresh_token=fallback.refresh_token,
            teams=fallback.teams,
        )
    return SessionSpec(
        email=str(me["email"]),
        name=str(me.get("name") or me["email"]),
        access_token=access_token,
        refresh_token=fallback.refresh_token,
        teams=tuple(team for team in me["teams"] if isinstance(team, dict)),
    )
