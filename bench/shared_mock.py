"""One mock for many pipelines: searches and binds per second on SQLite, one PostgreSQL replica
and two PostgreSQL replicas, in one run: `python -m bench.shared_mock [--quick] [--output FILE]`.

Three setups run at once (idle ones cost nothing) and the load goes round-robin over them, so a
change in the shared machine's background load hits each alike: (a) one `serve --state FILE`
(SQLite), (b) replica r0 of two on one throwaway PostgreSQL, (c) both replicas, each getting half
the connections from its own wrk process (wrk takes one URL). Every bind names a new mission (a
counter in the Lua script), so every bind writes. Server CPU counts the mock's process groups AND
every process of the PostgreSQL server (found by its data directory); the servers share CPU 0,
wrk gets CPU 1, so req/s is what one core gives and req per server CPU-second is the figure the
capacity arithmetic of README.md uses.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from kitty_mock_saas.ids import ulid

from . import report, search, servers
from .replicas import ADMIN, Replica, bind_body
from .report import Section, fmt, median, ratio
from .throwaway_postgres import ThrowawayPostgres, find_binaries
from .throwaway_postgres.processes import working_in
from .wrk import DONE_HOOK, LoadSettings, RunResult, ensure_wrk, run_once, write_script

BIND_PATH = "/api/v1/tracker/mission-origin/bind/"
BIND = "bind (new mission)"
REQUESTS = (search.KEY, search.TEXT, BIND)
SQLITE, ONE, TWO = (
    "(a) SQLite, 1 process",
    "(b) PostgreSQL, 1 replica",
    "(c) PostgreSQL, 2 replicas",
)
SETUPS = (SQLITE, ONE, TWO)
BOUND_TICKET = "WEB-118"
_MISSION = "MISSION_ID_HERE"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

FULL = LoadSettings(connections=32, threads=1, duration_s=5, repeats=2, warmup_s=1)
QUICK = LoadSettings(connections=8, threads=1, duration_s=1, repeats=1, warmup_s=0)


@dataclass(frozen=True)
class Measured:
    """Medians over the repeats of one request against one setup."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    mock_cpu_ms: float
    """CPU of the mock's processes per request."""
    database_cpu_ms: float
    """CPU of the PostgreSQL server's processes per request (0 on SQLite: it is in-process)."""

    @property
    def per_cpu_second(self) -> float:
        total = self.mock_cpu_ms + self.database_cpu_ms
        return 1000 / total if total > 0 else math.nan


@dataclass(frozen=True)
class _Sample:
    result: RunResult
    mock_cpu_s: float
    database_cpu_s: float


def _ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


class DatabaseCpu:
    """CPU seconds of a PostgreSQL server's processes (postmaster, backends, background
    workers: every process working in its data directory), counted per PID across a run."""

    def __init__(self, data_dir: Path | None) -> None:
        self.data_dir = data_dir

    def snapshot(self) -> dict[int, int]:
        if self.data_dir is None:
            return {}
        found: dict[int, int] = {}
        for pid in working_in(self.data_dir):
            with contextlib.suppress(OSError, ValueError, IndexError):
                found[pid] = _ticks(pid)
        return found

    @staticmethod
    def seconds_between(before: dict[int, int], after: dict[int, int]) -> float:
        """A backend that started during the run counts from zero; one that ended is lost (the
        mock keeps its connections, so none should)."""
        ticks = sum(value - before.get(pid, 0) for pid, value in after.items())
        return ticks / os.sysconf("SC_CLK_TCK")


def bind_script(ticket: dict[str, Any], directory: Path, name: str) -> Path:
    """A wrk script binding a new mission to `ticket` on every request: a fixed ULID prefix
    unique to this script, then a 10-digit counter (one wrk thread per script)."""
    body = bind_body(_MISSION, ticket)
    head, tail = json.dumps(body, separators=(",", ":")).split(_MISSION)
    headers = {"Content-Type": "application/json", **search.HEADERS}
    lines = [
        'wrk.method = "POST"',
        *(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()),
        f'local digits = "{_CROCKFORD}"',
        f'local prefix = "{ulid()[:16]}"',
        f"local head = [[{head}]]",
        f"local tail = [[{tail}]]",
        "local counter = 0",
        "request = function()",
        "  counter = counter + 1",
        "  local n, text = counter, ''",
        "  for _ = 1, 10 do",
        "    local d = n % 32",
        "    text = string.sub(digits, d + 1, d + 1) .. text",
        "    n = math.floor(n / 32)",
        "  end",
        "  return wrk.format(nil, nil, nil, head .. prefix .. text .. tail)",
        "end",
    ]
    path = directory / f"{name}.lua"
    path.write_text("\n".join(lines) + "\n" + DONE_HOOK, encoding="utf-8")
    return path


@dataclass
class _Setup:
    name: str
    replicas: list[Replica]
    database: DatabaseCpu

    def mock_cpu(self) -> float:
        return sum(servers.group_cpu_seconds(r.pid) for r in self.replicas if r.pid is not None)


def _load(
    wrk: str,
    setup: _Setup,
    path: str,
    scripts: Sequence[Path],
    seconds: float,
    load: LoadSettings,
    pinning: servers.Pinning,
) -> _Sample:
    """wrk against every replica of `setup` at once, the connections split evenly."""
    count = len(setup.replicas)
    share = LoadSettings(
        connections=max(1, load.connections // count),
        threads=load.threads,
        duration_s=load.duration_s,
        repeats=load.repeats,
        warmup_s=load.warmup_s,
    )
    mock_before, database_before = setup.mock_cpu(), setup.database.snapshot()
    with ThreadPoolExecutor(count) as pool:
        results = list(
            pool.map(
                lambda pair: run_once(wrk, pair[0].url + path, pair[1], seconds, share, pinning),
                zip(setup.replicas, scripts, strict=True),
            )
        )
    mock_used = setup.mock_cpu() - mock_before
    database_used = DatabaseCpu.seconds_between(database_before, setup.database.snapshot())
    requests = sum(r.requests for r in results)
    return _Sample(
        RunResult(
            requests=requests,
            rps=sum(r.rps for r in results),
            # p50: the request-weighted mean of the wrk processes' medians; p99: the worse one.
            p50_ms=sum(r.p50_ms * r.requests for r in results) / max(1, requests),
            p99_ms=max(r.p99_ms for r in results),
            errors=sum(r.errors for r in results),
        ),
        mock_used,
        database_used,
    )


def _summarize(samples: list[_Sample]) -> Measured:
    def per_request(value: Callable[[_Sample], float]) -> float:
        return median([value(s) * 1000 / s.result.requests for s in samples if s.result.requests])

    return Measured(
        rps=median([s.result.rps for s in samples]),
        p50_ms=median([s.result.p50_ms for s in samples]),
        p99_ms=median([s.result.p99_ms for s in samples]),
        errors=sum(s.result.errors for s in samples),
        mock_cpu_ms=per_request(lambda s: s.mock_cpu_s),
        database_cpu_ms=per_request(lambda s: s.database_cpu_s),
    )


def _check_bind(url: str, ticket: dict[str, object]) -> None:
    answer = httpx.post(
        url + BIND_PATH,
        headers=search.HEADERS,
        timeout=30.0,
        json={
            "mission_id": ulid(),
            "provider": "linear",
            "external_issue_id": ticket["id"],
            "external_issue_key": ticket["key"],
            "external_issue_url": f"https://linear.app/acme/issue/{ticket['key']}",
            "external_title": ticket["title"],
            "project_slug": "acme-web",
        },
    )
    if answer.status_code != 200 or answer.json().get("outcome") != "created":
        raise RuntimeError(f"{url}: a bind answered {answer.status_code}: {answer.text[:300]}")


def _ticket(url: str) -> dict[str, object]:
    answer = httpx.get(
        f"{url}/__admin/ticket",
        params={"provider": "linear", "ticket": BOUND_TICKET},
        headers=ADMIN,
        timeout=30.0,
    )
    answer.raise_for_status()
    ticket: dict[str, object] = answer.json()
    return ticket


@contextlib.contextmanager
def _setups(workdir: Path, pinning: servers.Pinning) -> Iterator[list[_Setup]]:
    """The three setups, started; everything stopped (by PID) and removed at the end."""
    executable = pinning.wrap([sys.executable, "-m", "kitty_mock_saas.cli"], pinning.server)
    postgres = ThrowawayPostgres(find_binaries())
    started: list[Replica] = []
    try:
        postgres.start()
        for pid in working_in(postgres.data_dir):  # backends forked later inherit it
            with contextlib.suppress(OSError):
                os.sched_setaffinity(pid, set(pinning.server or os.sched_getaffinity(0)))
        url = postgres.create_database()
        sqlite = Replica(
            "sqlite",
            str(workdir / "mock.db"),
            log_path=workdir / "sqlite.log",
            executable=executable,
        )
        pg = [
            Replica(f"r{n}", url, log_path=workdir / f"replica-r{n}.log", executable=executable)
            for n in range(2)
        ]
        for replica in (sqlite, *pg):
            replica.start()
            started.append(replica)
        database = DatabaseCpu(postgres.data_dir)
        yield [
            _Setup(SQLITE, [sqlite], DatabaseCpu(None)),
            _Setup(ONE, [pg[0]], database),
            _Setup(TWO, pg, database),
        ]
    finally:
        for replica in started:
            replica.terminate()
        for replica in started:
            replica.wait_stopped()
        postgres.close()


def measure(
    load: LoadSettings, *, log: Callable[[str], None] = print
) -> dict[tuple[str, str], Measured]:
    """Every request against every setup, round-robin over the repeats."""
    wrk = ensure_wrk()
    pinning = servers.Pinning.detect()
    with (
        tempfile.TemporaryDirectory(prefix="kitty-shared-bench-") as tmp,
        _setups(Path(tmp), pinning) as setups,
    ):
        directory = Path(tmp)
        ticket = _ticket(setups[0].replicas[0].url)
        scripts: dict[tuple[str, str], list[Path]] = {}
        for number, setup in enumerate(setups):
            for replica in setup.replicas:
                search.check_answer(replica.url, search.KEY, expect_match=True)
                search.check_answer(replica.url, search.TEXT, expect_match=True)
                _check_bind(replica.url, ticket)
            for name in REQUESTS:
                label = f"s{number}-{REQUESTS.index(name)}"
                scripts[(setup.name, name)] = [
                    bind_script(ticket, directory, f"{label}-{n}")
                    if name == BIND
                    else write_script(search.QUERIES[name], directory, f"{label}-{n}")
                    for n in range(len(setup.replicas))
                ]
        targets = [(setup, name) for name in REQUESTS for setup in setups]
        samples: dict[tuple[str, str], list[_Sample]] = {(s.name, n): [] for s, n in targets}

        def one(setup: _Setup, name: str, seconds: float) -> _Sample:
            path = BIND_PATH if name == BIND else search.SEARCH_PATH
            return _load(wrk, setup, path, scripts[(setup.name, name)], seconds, load, pinning)

        if load.warmup_s > 0:
            for setup, name in targets:
                log(f"warm-up {setup.name}: {name}")
                one(setup, name, load.warmup_s)
        for repeat in range(load.repeats):
            shift = repeat % len(targets)
            for setup, name in targets[shift:] + targets[:shift]:
                log(f"repeat {repeat + 1}/{load.repeats}: {setup.name}: {name}")
                samples[(setup.name, name)].append(one(setup, name, load.duration_s))
    return {key: _summarize(done) for key, done in samples.items()}


FIGURES = (
    "req/s",
    "p50 ms",
    "p99 ms",
    "errors",
    "mock CPU ms/req",
    "PostgreSQL CPU ms/req",
    "req per server CPU-s",
)


def cells(m: Measured, reference: Measured) -> tuple[str, ...]:
    """A row's `FIGURES`, then its req/s and requests per server CPU-second over `reference`'s."""
    return (
        fmt(m.rps),
        fmt(m.p50_ms),
        fmt(m.p99_ms),
        str(m.errors),
        fmt(m.mock_cpu_ms, 3),
        fmt(m.database_cpu_ms, 3),
        fmt(m.per_cpu_second),
        fmt(ratio(m.rps, reference.rps)),
        fmt(ratio(m.per_cpu_second, reference.per_cpu_second)),
    )


def section(results: dict[tuple[str, str], Measured], load: LoadSettings) -> Section:
    """The bench row: each request on each setup, ratios against (a) of the same run."""
    out = Section(
        title="7. A shared mock: SQLite vs one and two PostgreSQL replicas",
        columns=("request", "setup", *FIGURES, "req/s vs (a)", "per CPU-s vs (a)"),
    )
    for name in REQUESTS:
        reference = results[(SQLITE, name)]
        for setup in SETUPS:
            out.rows.append((name, setup, *cells(results[(setup, name)], reference)))
    out.settings = [
        f"{load.describe(servers.Pinning.detect())}; in (c) two wrk processes of "
        f"{load.connections // 2} connections each, one per replica, run at once (req/s summed, "
        "p50 the request-weighted mean of theirs, p99 the worse)",
        "servers: `kitty-mock-saas serve --workers 1` each on the default seeded world; (a) "
        "`--state FILE`, (b) and (c) `--database URL` on one throwaway PostgreSQL "
        "(bench/throwaway_postgres: fsync off, synchronous_commit on); (b) is replica r0 of (c) "
        "while r1 idles; every server process and PostgreSQL share CPU 0",
        f"searches as benchmark 1 ({search.KEY}: jira / acme-iam IAM-42; {search.TEXT}: linear "
        f"/ acme-web 'Clerk auth'); binds: POST {BIND_PATH} of a new mission (a ULID prefix per "
        f"wrk process and a counter) to {BOUND_TICKET}, so every bind writes a link",
        "server CPU: user + system time of the mock's process groups and of every process of the "
        "PostgreSQL server (postmaster, backends, background workers) during each run, over the "
        "requests answered; 'req per server CPU-s' = 1000 / (mock + PostgreSQL ms/req), which "
        "other work on the shared machine does not move",
    ]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.shared_mock", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1 s runs, one repeat (smoke)")
    parser.add_argument("--output", type=Path, help="write the table there (default: stdout)")
    args = parser.parse_args(argv)
    load = QUICK if args.quick else FULL
    servers.install_cleanup()
    started, before = time.monotonic(), os.getloadavg()[0]
    results = measure(load, log=lambda text: print(f"bench: {text}", file=sys.stderr))
    report.publish(
        [section(results, load)],
        command="python -m bench.shared_mock" + (" --quick" if args.quick else ""),
        quick=args.quick,
        started=started,
        load_before=before,
        output=args.output,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
