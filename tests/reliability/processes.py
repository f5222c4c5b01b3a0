"""Real processes for the fault tests: the mock SaaS on 127.0.0.1 and client workers.

`MockServer` runs `kitty-mock-saas serve --port 0 --json` on a state file (so a restart keeps
the SaaS's state) and talks to its admin API. `Worker` runs `python -m tests.reliability.worker`
and reads the JSON lines it prints. Every wait is bounded.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
from kitty_mock_saas.process import MockProcess, start_mock

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
ADMIN = {"X-Admin-Token": "admin-secret"}
LINEAR_CONFIG = """\
project:
  uuid: 0f3c2b1a-0000-4000-8000-000000000001
  slug: acme-web
tracker:
  provider: linear
  project_slug: acme-web
"""


def write_linear_repo(repo: Path) -> Path:
    """A repo bound to `linear / acme-web`, like `spec-kitty tracker bind` leaves it."""
    (repo / ".kittify").mkdir(parents=True, exist_ok=True)
    (repo / ".kittify" / "config.yaml").write_text(LINEAR_CONFIG, encoding="utf-8")
    return repo


class MockServer:
    """`kitty-mock-saas serve` as a child process; `start()` again after `stop()` restarts it."""

    def __init__(self, state: Path, *, workers: int = 1) -> None:
        self.state = state
        self.workers = workers
        self._mock: MockProcess | None = None
        self.url = ""

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> MockServer:
        self._mock = start_mock(
            "--state",
            str(self.state),
            "--workers",
            str(self.workers),
            start_timeout=START_TIMEOUT_S,
        )
        self.url = self._mock.url
        return self

    def stop(self) -> None:
        mock, self._mock = self._mock, None
        if mock is not None:
            mock.stop(timeout=STOP_TIMEOUT_S)

    # -- admin API -------------------------------------------------------------------------

    def admin_get(self, path: str, **params: Any) -> dict[str, Any]:
        answer = httpx.get(f"{self.url}/__admin/{path}", headers=ADMIN, params=params, timeout=10)
        answer.raise_for_status()
        body: dict[str, Any] = answer.json()
        return body

    def fault(self, spec: dict[str, Any]) -> None:
        answer = httpx.post(f"{self.url}/__admin/faults", headers=ADMIN, json=spec, timeout=10)
        assert answer.status_code == 201, answer.text

    def clear_faults(self) -> None:
        httpx.delete(f"{self.url}/__admin/faults", headers=ADMIN, timeout=10).raise_for_status()

    def origin_links(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.admin_get("origin-links", limit=1000)["origin_links"]
        return items

    def stored_event_ids(self) -> list[str]:
        items = self.admin_get("events", limit=1000)["events"]
        return [str(item["event"]["event_id"]) for item in items]


class _Lines:
    """The stdout lines of a process, read by a thread so that every wait can be bounded."""

    _EOF = None

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(process,), daemon=True)
        self._thread.start()

    def _pump(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self._queue.put(line)
        self._queue.put(self._EOF)

    def next(self, timeout: float) -> str | None:
        """The next line, or None at EOF or after `timeout` seconds."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None


class Worker:
    """`python -m tests.reliability.worker ...`: a client process printing JSON lines."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.worker", *args],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},  # noqa: TID251 - a child's environment
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        self._lines = _Lines(self.process)

    def _stderr(self) -> str:
        assert self.process.stderr is not None
        return self.process.stderr.read()[-3000:]

    def next(self, timeout: float = 30.0) -> dict[str, Any]:
        """The next JSON line the worker prints."""
        line = self._lines.next(timeout)
        if line is None:
            self.kill()
            raise AssertionError(f"worker gave no line: {self._stderr()}")
        value: dict[str, Any] = json.loads(line)
        return value

    def finish(self, timeout: float = 60.0) -> list[dict[str, Any]]:
        """Every remaining line, after the worker exited 0."""
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        assert self.process.returncode == 0, self._stderr()
        lines = []
        while (line := self._lines.next(STOP_TIMEOUT_S)) is not None:
            lines.append(json.loads(line))
        return lines

    def kill(self) -> None:
        """SIGKILL: no cleanup, no flush, no atexit."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=STOP_TIMEOUT_S)
