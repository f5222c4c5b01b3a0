"""wrk (Debian's package) as the load generator: install, a POST script, runs and their medians.

The Lua script sets method, body and headers once (no per-request Lua unless the request is a
mix of bodies, which it then rotates through), and its `done` hook prints one JSON line with the
totals and latency percentiles, so nothing is scraped from wrk's human-readable report.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .report import median
from .servers import Pinning

WRK_TIMEOUT_MARGIN_S = 60.0
_MARKER = "WRK_JSON "
DONE_HOOK = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,'
    .. '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


_ROTATE = """local next_body = 0
request = function()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end"""


class LoadGeneratorError(RuntimeError):
    """wrk is missing and cannot be installed, or a run failed."""


@dataclass(frozen=True)
class LoadSettings:
    """wrk's settings; every server gets the same."""

    connections: int = 32
    threads: int = 1
    duration_s: float = 10.0
    repeats: int = 3
    warmup_s: float = 2.0

    def describe(self, pinning: Pinning) -> str:
        return (
            f"wrk {self.threads} thread, {self.connections} connections, "
            f"{self.duration_s:g} s per run after a {self.warmup_s:g} s warm-up, "
            f"{self.repeats} repeats, medians of the repeats; {pinning.describe()}"
        )


@dataclass(frozen=True)
class Request:
    """One POST the load generator repeats; with a `mix`, it sends those bodies in turn."""

    path: str
    body: dict[str, object]
    headers: dict[str, str]
    mix: tuple[dict[str, object], ...] = ()


@dataclass(frozen=True)
class RunResult:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    server_cpu_s: float = math.nan
    """CPU time the server used during the run (`nan` when not measured)."""


@dataclass(frozen=True)
class LoadResult:
    """Medians over the repeats (requests/s, p50, p99, server CPU per request), error total.

    `rps_per_cpu` (requests per second of server CPU) does not move with what else the shared
    machine runs, unlike `rps`, which falls whenever another process takes the server's core.
    """

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    runs: tuple[RunResult, ...]
    cpu_ms_per_request: float = math.nan

    @property
    def rps_per_cpu(self) -> float:
        return 1000 / self.cpu_ms_per_request if self.cpu_ms_per_request > 0 else math.nan


def ensure_wrk() -> str:
    """The wrk binary; installs Debian's package when missing and running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise LoadGeneratorError("wrk is not installed: run `apt-get install -y wrk` as root")
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            raise LoadGeneratorError(f"{' '.join(command)} failed: {done.stderr[-2000:]}")
    found = shutil.which("wrk")
    if not found:
        raise LoadGeneratorError("apt-get installed wrk but it is not on PATH")
    return found


def write_script(request: Request, directory: Path, name: str) -> Path:
    """A wrk Lua script sending `request` (its bodies in turn when it is a mix)."""
    bodies = [_lua_string(body) for body in (request.body, *request.mix)]
    lines = ['wrk.method = "POST"', f"wrk.body = {bodies[0]}"]
    headers = {"Content-Type": "application/json", **request.headers}
    lines += [f'wrk.headers["{key}"] = "{value}"' for key, value in headers.items()]
    if request.mix:
        lines += ["local bodies = {", *(f"  {body}," for body in bodies[1:]), "}", _ROTATE]
    path = directory / f"{name}.lua"
    path.write_text("\n".join(lines) + "\n" + DONE_HOOK, encoding="utf-8")
    return path


def _lua_string(body: dict[str, object]) -> str:
    text = json.dumps(body, separators=(",", ":"))
    if "]]" in text:
        raise ValueError("the body cannot hold ']]' (Lua long string)")
    return f"[[{text}]]"


def run_once(
    wrk: str,
    url: str,
    script: Path,
    seconds: float,
    load: LoadSettings,
    pinning: Pinning,
    *,
    server_cpu: Callable[[], float] | None = None,
) -> RunResult:
    command = pinning.wrap(
        [
            wrk,
            f"-t{load.threads}",
            f"-c{load.connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "5s",
            "--latency",
            "-s",
            str(script),
            url,
        ],
        pinning.load,
    )
    cpu_before = server_cpu() if server_cpu else math.nan
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=seconds + WRK_TIMEOUT_MARGIN_S,
        check=False,
    )
    cpu_used = server_cpu() - cpu_before if server_cpu else math.nan
    lines = [line for line in done.stdout.splitlines() if line.startswith(_MARKER)]
    if done.returncode != 0 or not lines:
        raise LoadGeneratorError(
            f"wrk exited {done.returncode}: {done.stderr[-2000:]}{done.stdout[-2000:]}"
        )
    data = json.loads(lines[-1][len(_MARKER) :])
    errors = sum(int(data[key]) for key in ("connect", "read", "write", "status", "timeout"))
    return RunResult(
        requests=int(data["requests"]),
        rps=int(data["requests"]) / (int(data["duration_us"]) / 1e6),
        p50_ms=int(data["p50_us"]) / 1000,
        p99_ms=int(data["p99_us"]) / 1000,
        errors=errors,
        server_cpu_s=cpu_used,
    )


def summarize(runs: tuple[RunResult, ...]) -> LoadResult:
    """Medians of req/s, p50 and p99 over `runs`, and their error total."""
    return LoadResult(
        rps=median([r.rps for r in runs]),
        p50_ms=median([r.p50_ms for r in runs]),
        p99_ms=median([r.p99_ms for r in runs]),
        errors=sum(r.errors for r in runs),
        runs=runs,
        cpu_ms_per_request=median([r.server_cpu_s * 1000 / r.requests for r in runs if r.requests]),
    )
