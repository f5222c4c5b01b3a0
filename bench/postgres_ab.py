"""A same-run A/B of the mock on PostgreSQL against earlier commits:
`python -m bench.postgres_ab REV [REV ...] [--quick] [--output FILE]`.

One `serve --database URL` replica per version: each REV's `mock_saas/kitty_mock_saas` (exported
with `git archive`, first on the replica's PYTHONPATH) and the working tree's, each on a database
of its own in one throwaway PostgreSQL. Binds of new missions and exact-key searches go
round-robin over the versions, so the shared machine's background load hits each alike; the
figures are each version's against the first REV's (req/s, and requests per server CPU-second,
the replica's processes and every PostgreSQL process counted). Like `bench.shared_mock`, whose
load and CPU accounting this uses: servers on CPU 0, wrk on CPU 1.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from . import search, servers
from .replicas import Replica
from .report import Section, fmt, machine_facts, ratio, render
from .shared_mock import (
    BIND,
    BIND_PATH,
    FULL,
    QUICK,
    DatabaseCpu,
    Measured,
    _check_bind,
    _load,
    _Sample,
    _Setup,
    _summarize,
    _ticket,
    bind_script,
)
from .throwaway_postgres import ThrowawayPostgres, find_binaries
from .wrk import LoadSettings, ensure_wrk, write_script

PACKAGE = "mock_saas/kitty_mock_saas"
WORKING_TREE = "working tree"
REQUESTS = (search.KEY, BIND)
ROOT = Path(__file__).resolve().parent.parent


def export(rev: str, into: Path) -> Path:
    """The mock's package as of `rev`, under `into`; returns the directory for PYTHONPATH."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, PACKAGE], check=True, capture_output=True
    ).stdout
    with tempfile.TemporaryFile() as raw:
        raw.write(archive)
        raw.seek(0)
        with tarfile.open(fileobj=raw) as tar:
            tar.extractall(into, filter="data")
    return into / "mock_saas"


def _imported_from(env: dict[str, str]) -> str:
    """Where a child with `env` imports the mock from (a check that the export is used)."""
    code = "import kitty_mock_saas; print(kitty_mock_saas.__file__)"
    return subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **env},  # noqa: TID251 - a child process's environment
    ).stdout.strip()


@contextlib.contextmanager
def _versions(revs: list[str], workdir: Path, pinning: servers.Pinning) -> Iterator[list[_Setup]]:
    """One replica per version, started; everything stopped (by PID) and removed at the end."""
    executable = pinning.wrap([sys.executable, "-m", "kitty_mock_saas.cli"], pinning.server)
    postgres = ThrowawayPostgres(find_binaries())
    started: list[Replica] = []
    try:
        postgres.start()
        database = DatabaseCpu(postgres.data_dir)
        setups = []
        for number, rev in enumerate([*revs, WORKING_TREE]):
            env = {}
            if rev != WORKING_TREE:
                path = export(rev, workdir / f"v{number}")
                env = {"PYTHONPATH": str(path)}
                if not _imported_from(env).startswith(str(path)):
                    raise RuntimeError(f"{rev}: the replica would not import its export")
            replica = Replica(
                f"v{number}",
                postgres.create_database(),
                log_path=workdir / f"v{number}.log",
                env=env,
                executable=executable,
            )
            replica.start()
            started.append(replica)
            setups.append(_Setup(rev, [replica], database))
        yield setups
    finally:
        for replica in started:
            replica.terminate()
        for replica in started:
            replica.wait_stopped()
        postgres.close()


def measure(revs: list[str], load: LoadSettings) -> dict[tuple[str, str], Measured]:
    wrk = ensure_wrk()
    pinning = servers.Pinning.detect()
    with (
        tempfile.TemporaryDirectory(prefix="kitty-postgres-ab-") as tmp,
        _versions(revs, Path(tmp), pinning) as setups,
    ):
        directory = Path(tmp)
        ticket = _ticket(setups[0].replicas[0].url)
        scripts: dict[tuple[str, str], Path] = {}
        for number, setup in enumerate(setups):
            [replica] = setup.replicas
            search.check_answer(replica.url, search.KEY, expect_match=True)
            _check_bind(replica.url, ticket)
            scripts[(setup.name, BIND)] = bind_script(ticket, directory, f"v{number}-bind")
            scripts[(setup.name, search.KEY)] = write_script(
                search.QUERIES[search.KEY], directory, f"v{number}-key"
            )
        targets = [(setup, name) for name in REQUESTS for setup in setups]
        samples: dict[tuple[str, str], list[_Sample]] = {(s.name, n): [] for s, n in targets}

        def one(setup: _Setup, name: str, seconds: float) -> _Sample:
            path = BIND_PATH if name == BIND else search.SEARCH_PATH
            script = [scripts[(setup.name, name)]]
            return _load(wrk, setup, path, script, seconds, load, pinning)

        for setup, name in targets:
            if load.warmup_s > 0:
                one(setup, name, load.warmup_s)
        for repeat in range(load.repeats):
            shift = repeat % len(targets)
            for setup, name in targets[shift:] + targets[:shift]:
                print(
                    f"bench: repeat {repeat + 1}/{load.repeats}: {setup.name}: {name}", flush=True
                )
                samples[(setup.name, name)].append(one(setup, name, load.duration_s))
    return {key: _summarize(done) for key, done in samples.items()}


def section(
    revs: list[str], results: dict[tuple[str, str], Measured], load: LoadSettings
) -> Section:
    out = Section(
        title="PostgreSQL replica A/B: the working tree against earlier commits",
        columns=(
            "request",
            "version",
            "req/s",
            "p50 ms",
            "errors",
            "mock CPU ms/req",
            "PostgreSQL CPU ms/req",
            "req per server CPU-s",
            f"req/s vs {revs[0]}",
            f"per CPU-s vs {revs[0]}",
        ),
    )
    for name in REQUESTS:
        reference = results[(revs[0], name)]
        for version in [*revs, WORKING_TREE]:
            m = results[(version, name)]
            out.rows.append(
                (
                    name,
                    version,
                    fmt(m.rps),
                    fmt(m.p50_ms),
                    str(m.errors),
                    fmt(m.mock_cpu_ms, 3),
                    fmt(m.database_cpu_ms, 3),
                    fmt(m.per_cpu_second),
                    fmt(ratio(m.rps, reference.rps)),
                    fmt(ratio(m.per_cpu_second, reference.per_cpu_second)),
                )
            )
    out.settings = [
        f"{load.describe(servers.Pinning.detect())}",
        "one `kitty-mock-saas serve --database URL` replica per version, each on its own "
        "database of one throwaway PostgreSQL, every server process and PostgreSQL on CPU 0; "
        "idle replicas cost nothing while another is measured",
    ]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.postgres_ab", description=__doc__)
    parser.add_argument("revs", nargs="+", help="commits to compare the working tree with")
    parser.add_argument("--quick", action="store_true", help="1 s runs, one repeat (smoke)")
    parser.add_argument("--repeats", type=int, help="runs of each request on each version")
    parser.add_argument("--output", type=Path, help="write the table there (default: stdout)")
    args = parser.parse_args(argv)
    load = QUICK if args.quick else FULL
    if args.repeats:
        load = LoadSettings(
            connections=load.connections,
            threads=load.threads,
            duration_s=load.duration_s,
            repeats=args.repeats,
            warmup_s=load.warmup_s,
        )
    servers.install_cleanup()
    started, before = time.monotonic(), os.getloadavg()[0]
    results = measure(args.revs, load)
    machine = [
        *machine_facts(),
        f"run took {time.monotonic() - started:,.0f} s; 1-minute load average {before:.2f} at "
        f"the start, {os.getloadavg()[0]:.2f} at the end",
    ]
    command = "python -m bench.postgres_ab " + " ".join(sys.argv[1:] if argv is None else argv)
    text = render(
        [section(args.revs, results, load)],
        command=command,
        mode="quick" if args.quick else "full",
        machine=machine,
    )
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
