"""The mock as a real server process on 127.0.0.1, for tests, fuzzing runs and scripts.

    with running_mock("--state", ":memory:") as mock:
        httpx.get(f"{mock.url}/openapi.json")

`kitty-mock-saas serve --port 0 --json` picks a free port and prints its URL first; this waits
for that line and for a first HTTP answer, bounded in time, and always stops the whole process group
(uvicorn's worker processes included).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .admin_token import DOCUMENTED_DEFAULT

HOST = "127.0.0.1"


class MockStartError(RuntimeError):
    """The mock process did not print its URL or did not start listening in time."""


@dataclass
class MockProcess:
    """A running `kitty-mock-saas serve`; `stop()` ends it and its workers."""

    url: str
    process: subprocess.Popen[str]
    # The JSON startup line (`url`, and for `serve` which tracker goes where: `trackers`).
    startup: dict[str, Any] = field(default_factory=dict)

    @property
    def admin_token(self) -> str:
        """The admin token `serve` runs with (given, or the random one it made)."""
        return str(self.startup.get("admin_token", ""))

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=timeout)
        if self.process.stdout is not None:
            self.process.stdout.close()


def _first_line(process: subprocess.Popen[str], timeout: float) -> str:
    lines: list[str] = []
    stdout = process.stdout
    assert stdout is not None
    reader = threading.Thread(target=lambda: lines.append(stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return lines[0] if lines else ""


def _answering(url: str, path: str = "/openapi.json") -> bool:
    """Whether the mock answers HTTP (with workers, the socket listens before they serve)."""
    try:
        with urllib.request.urlopen(f"{url}{path}", timeout=2) as answer:
            return bool(answer.status == 200)
    except (OSError, ValueError):
        return False


def _child_env(extra: Mapping[str, str] | None) -> dict[str, str] | None:
    if extra is None:
        return None
    return {**os.environ, **extra}  # noqa: TID251 - a child process's environment


def start_mock(
    *serve_args: str,
    command: str = "serve",
    stderr: int | IO[str] | None = subprocess.DEVNULL,
    cwd: Path | None = None,
    start_timeout: float = 30.0,
    executable: Sequence[str] = (sys.executable, "-m", "kitty_mock_saas.cli"),
    env: Mapping[str, str] | None = None,
    ready_path: str = "/openapi.json",
    admin_token: str | None = DOCUMENTED_DEFAULT,
) -> MockProcess:
    """Start `kitty-mock-saas <command> --host 127.0.0.1 --port 0 --json <serve_args>`.

    `command` is `serve` (the mock), `proxy` (the validating proxy; pass `--upstream URL`) or
    `tracker-fake` (see `start_tracker_fake`). `env` adds variables to the child's environment
    (this process's), e.g. the `env:` credentials of `serve --trackers FILE`; `ready_path`
    answers 200 once it serves.

    `executable` is this interpreter's mock unless given, e.g. the console script of another venv.
    `serve` gets `admin_token` (None: the random one it makes; `.admin_token` tells it).

    Raises:
        MockStartError: no URL line or no listening socket within `start_timeout` seconds.
    """
    argv = [*executable, command, "--host", HOST, "--port", "0", "--json", *serve_args]
    if command == "serve" and admin_token is not None and "--admin-token" not in serve_args:
        argv += ["--admin-token", admin_token]
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=stderr, stdin=subprocess.DEVNULL, text=True,
        cwd=cwd, start_new_session=True, env=_child_env(env),
    )  # fmt: skip
    deadline = time.monotonic() + start_timeout
    line = _first_line(process, start_timeout)
    mock = MockProcess(url="", process=process)
    if not line:
        mock.stop()
        raise MockStartError(
            f"kitty-mock-saas printed no URL within {start_timeout:g} s (exit {process.poll()})"
        )
    mock.startup = json.loads(line)
    mock.url = str(mock.startup["url"]).rstrip("/")
    while not _answering(mock.url, ready_path):  # the URL is printed before uvicorn binds
        if time.monotonic() > deadline or process.poll() is not None:
            mock.stop()
            raise MockStartError(f"kitty-mock-saas did not answer on {mock.url} in time")
        time.sleep(0.05)
    return mock


def start_tracker_fake(
    provider: str,
    *args: str,
    stderr: int | IO[str] | None = subprocess.DEVNULL,
    start_timeout: float = 30.0,
) -> MockProcess:
    """Start `kitty-mock-saas tracker-fake --provider <provider>` on a free 127.0.0.1 port
    (`args`: e.g. `--world PATH`); `.url` is its base URL, `.stop()` ends it by its PID.

    Raises:
        MockStartError: no URL line or no answer within `start_timeout` seconds.
    """
    return start_mock(
        "--provider",
        provider,
        *args,
        command="tracker-fake",
        stderr=stderr,
        start_timeout=start_timeout,
        ready_path="/__fake/requests",
    )


@contextmanager
def running_mock(
    *serve_args: str,
    command: str = "serve",
    stderr: int | IO[str] | None = subprocess.DEVNULL,
    cwd: Path | None = None,
    start_timeout: float = 30.0,
    executable: Sequence[str] = (sys.executable, "-m", "kitty_mock_saas.cli"),
    env: Mapping[str, str] | None = None,
    admin_token: str | None = DOCUMENTED_DEFAULT,
) -> Iterator[MockProcess]:
    """`start_mock(...)`, always stopped at the end of the block."""
    mock = start_mock(
        *serve_args,
        command=command,
        stderr=stderr,
        cwd=cwd,
        start_timeout=start_timeout,
        executable=executable,
        env=env,
        admin_token=admin_token,
    )
    try:
        yield mock
    finally:
        mock.stop()
