"""Server processes of the benchmarks: started on 127.0.0.1, always stopped, bounded waits.

Each server runs in its own process group (so uvicorn or node children go with it) and is
stopped by that group's id: SIGTERM, then SIGKILL after a grace period. A registry stops whatever
is still running when the harness exits or is interrupted.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

HOST = "127.0.0.1"
REPO_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
START_TIMEOUT_S = 180.0
STOP_GRACE_S = 10.0

_running: dict[int, subprocess.Popen[bytes]] = {}
_group_by_url: dict[str, int] = {}


class ServerError(RuntimeError):
    """A server did not start, or answered wrongly before the load began."""


@dataclass(frozen=True)
class Pinning:
    """CPU affinity of the servers and of the load generator (empty: no pinning)."""

    server: tuple[int, ...]
    load: tuple[int, ...]

    @staticmethod
    def detect() -> Pinning:
        """Servers on CPU 0, the load generator on the rest, when taskset and 2+ CPUs exist."""
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) < 2 or shutil.which("taskset") is None:
            return Pinning((), ())
        return Pinning((cpus[0],), tuple(cpus[1:]))

    def wrap(self, command: Sequence[str], cpus: tuple[int, ...]) -> list[str]:
        """`command` prefixed with `taskset -c CPUS` when pinning is on."""
        if not cpus:
            return list(command)
        return ["taskset", "-c", ",".join(map(str, cpus)), *command]

    def describe(self) -> str:
        if not self.server:
            return "no CPU pinning (taskset missing or a single CPU)"
        return (
            f"server pinned to CPU {','.join(map(str, self.server))}, load generator to CPU "
            f"{','.join(map(str, self.load))} (taskset)"
        )


def _group_usage(pgid: int) -> tuple[float, float]:
    """CPU seconds (user + system) and resident MB summed over process group `pgid`."""
    ticks = os.sysconf("SC_CLK_TCK")
    cpu_ticks = rss_kb = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            cpu_ticks += int(fields[11]) + int(fields[12])
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss_kb += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue  # the process ended meanwhile
    return cpu_ticks / ticks, rss_kb / 1024


def group_cpu_seconds(pgid: int) -> float:
    """The CPU time every process of group `pgid` has used so far."""
    return _group_usage(pgid)[0]


def cpu_seconds(url: str) -> float:
    """The CPU time the server at `url` has used so far (every process of its group)."""
    return _group_usage(_group_by_url[url])[0]


def rss_mb(url: str) -> float:
    """The resident memory of the server at `url` (every process of its group)."""
    return _group_usage(_group_by_url[url])[1]


@contextlib.contextmanager
def _registered(url: str, process: subprocess.Popen[bytes]) -> Iterator[str]:
    _group_by_url[url] = process.pid  # each server leads its own process group
    try:
        yield url
    finally:
        _group_by_url.pop(url, None)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's own process group, then SIGKILL it after the grace period."""
    _running.pop(process.pid, None)
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, STOP_GRACE_S), (signal.SIGKILL, STOP_GRACE_S)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def stop_all() -> None:
    """Stop every server this harness started and has not stopped yet."""
    for process in list(_running.values()):
        _stop(process)


def _on_signal(signum: int, _frame: object) -> None:
    stop_all()
    raise SystemExit(128 + signum)


def install_cleanup() -> None:
    """Stop the servers on exit, Ctrl-C and SIGTERM (call once from the command)."""
    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, _on_signal)


def _read_first_line(process: subprocess.Popen[bytes], timeout: float) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ServerError(f"no startup line within {timeout:.0f}s")
            if not selector.select(timeout=min(remaining, 1.0)):
                if process.poll() is not None:
                    raise ServerError(f"exited with {process.returncode} before its startup line")
                continue
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                raise ServerError(f"closed stdout (exit {process.poll()}) before its startup line")
            buffer += chunk
    return buffer.split(b"\n", 1)[0].decode()


def _drain(process: subprocess.Popen[bytes]) -> None:
    assert process.stdout is not None
    with contextlib.suppress(OSError, ValueError):
        while process.stdout.read(65536):
            pass


def _wait_http(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"{url}: exited with {process.returncode} while starting")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise ServerError(f"{url}: not answering after {timeout:.0f}s")


@contextlib.contextmanager
def _process(
    command: Sequence[str], *, log: Path, pipe_stdout: bool = False
) -> Iterator[subprocess.Popen[bytes]]:
    """Start `command` in its own session; stdout is piped only when the caller reads it."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen(
            list(command),
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if pipe_stdout else output,
            stderr=output,
            start_new_session=True,
        )
    _running[process.pid] = process
    try:
        yield process
    finally:
        _stop(process)


@contextlib.contextmanager
def mock_saas(
    state: Path, corpus: int, *, workers: int, pinning: Pinning, logs: Path
) -> Iterator[str]:
    """`kitty-mock-saas serve` on a state file holding `corpus` tickets; yields its URL."""
    command = [
        str(VENV_BIN / "kitty-mock-saas"),
        "serve",
        "--host",
        HOST,
        "--port",
        "0",
        "--json",
        "--state",
        str(state),
        "--corpus",
        str(corpus),
        "--workers",
        str(workers),
    ]
    log = logs / f"mock-saas-{corpus}.log"
    with _process(pinning.wrap(command, pinning.server), log=log, pipe_stdout=True) as process:
        try:
            url = str(json.loads(_read_first_line(process, START_TIMEOUT_S))["url"])
        except ServerError as exc:
            raise ServerError(f"kitty-mock-saas: {exc}; see {log}") from exc
        # Whatever else it prints must never fill the pipe and stall the server.
        threading.Thread(target=_drain, args=(process,), daemon=True).start()
        _wait_http(f"{url}/openapi.json", process, START_TIMEOUT_S)
        with _registered(url, process):
            yield url


@contextlib.contextmanager
def ceiling(*, workers: int, pinning: Pinning, logs: Path) -> Iterator[str]:
    """The bare ASGI app under the same uvicorn (httptools, uvloop) as the mock."""
    port = free_port()
    command = [
        str(VENV_BIN / "uvicorn"),
        "bench.ceiling:create_app",
        "--factory",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--http",
        "httptools",
        "--loop",
        "uvloop",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    with _process(pinning.wrap(command, pinning.server), log=logs / "ceiling.log") as process:
        url = f"http://{HOST}:{port}"
        _wait_http(url, process, START_TIMEOUT_S)
        with _registered(url, process):
            yield url


@contextlib.contextmanager
def prism(prism_bin: Path, document: Path, *, pinning: Pinning, logs: Path) -> Iterator[str]:
    """`prism mock` of the bundled contract (static examples, log level `error`)."""
    port = free_port()
    command = [
        str(prism_bin),
        "mock",
        "--host",
        HOST,
        "--port",
        str(port),
        "--verboseLevel",
        "error",
        str(document),
    ]
    with _process(pinning.wrap(command, pinning.server), log=logs / "prism.log") as process:
        url = f"http://{HOST}:{port}"
        _wait_http(url, process, START_TIMEOUT_S)
        with _registered(url, process):
            yield url
