"""The mock as a real server for browser tests: a `kitty-mock-saas serve` subprocess on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

START_TIMEOUT_SECONDS = 30.0


def _first_line(process: subprocess.Popen[str], timeout: float) -> str:
    """The first stdout line, or a clear failure after `timeout` seconds (never hangs)."""
    lines: list[str] = []
    assert process.stdout is not None
    stdout = process.stdout
    reader = threading.Thread(target=lambda: lines.append(stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    if not lines or not lines[0]:
        raise RuntimeError(f"kitty-mock-saas printed no startup line within {timeout:g} s")
    return lines[0]


def _wait_until_serving(url: str, deadline: float) -> None:
    while True:
        try:
            if httpx.get(f"{url}/dashboard/fragments/summary", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the mock at {url} did not answer in time")
        time.sleep(0.1)


@contextmanager
def serve_mock() -> Iterator[str]:
    """Start the mock (in-memory state, a free port) and yield its base URL; always stopped."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kitty_mock_saas.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--json",
            "--state",
            ":memory:",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        line = _first_line(process, START_TIMEOUT_SECONDS)
        url = str(json.loads(line)["url"])
        _wait_until_serving(url, deadline)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
