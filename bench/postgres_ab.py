"""A same-run A/B of the mock on PostgreSQL against earlier commits:
`python -m bench.postgres_ab REV [REV ...] [--quick] [--writes N] [--output FILE]`.

One `serve --database URL` replica per version: each REV's `mock_saas/kitty_mock_saas` (exported
with `git archive`, first on the replica's PYTHONPATH) and the working tree's, each on a database
of its own in one throwaway PostgreSQL. Binds of new missions and exact-key searches go
round-robin over the versions, so the shared machine's background load hits each alike; the
figures are each version's against the first REV's (req/s, and requests per server CPU-second,
the replica's processes and every PostgreSQL process counted). Like `bench.shared_mock`, whose
load and CPU accounting this uses: servers on CPU 0, wrk on CPU 1.

With `--writes N`, the store's write path alone instead: `bench.store_writes` (N transactions
of one INSERT through a `PostgresStore`, in one process on CPU 0 beside PostgreSQL) under each
version's package in turn: wall time, the process's CPU and its backend's CPU per write.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from . import report, search, servers
from .replicas import Replica
from .report import Section, fmt, median, ratio
from .shared_mock import (
    BIND,
    BIND_PATH,
    FIGURES,
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
    cells,
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
        envs = _exports(revs, workdir)
        for number, rev in enumerate([*revs, WORKING_TREE]):
            replica = Replica(
                f"v{number}",
                postgres.create_database(),
                log_path=workdir / f"v{number}.log",
                env=envs[rev],
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


def _exports(revs: list[str], workdir: Path) -> dict[str, dict[str, str]]:
    """Each version's environment: PYTHONPATH to its export (none for the working tree)."""
    envs: dict[str, dict[str, str]] = {WORKING_TREE: {}}
    for number, rev in enumerate(revs):
        path = export(rev, workdir / f"v{number}")
        envs[rev] = {"PYTHONPATH": str(path)}
        if not _imported_from(envs[rev]).startswith(str(path)):
            raise RuntimeError(f"{rev}: a child would not import its export")
    return envs


def measure_writes(revs: list[str], writes: int, repeats: int) -> dict[str, dict[str, float]]:
    """Per version, medians over `repeats` rounds (versions in turn) of ms per write: `wall`,
    `cpu` (the writing process) and `database` (its connection's PostgreSQL backend)."""
    pinning = servers.Pinning.detect()
    versions = [*revs, WORKING_TREE]
    samples: dict[str, list[dict[str, float]]] = {v: [] for v in versions}
    with (
        tempfile.TemporaryDirectory(prefix="kitty-postgres-ab-") as tmp,
        ThrowawayPostgres(find_binaries()) as postgres,
    ):
        envs = _exports(revs, Path(tmp))
        url = postgres.start().create_database()
        for repeat in range(repeats):
            shift = repeat % len(versions)
            for version in versions[shift:] + versions[:shift]:
                print(f"bench: round {repeat + 1}/{repeats}: {version}", flush=True)
                schema = f"ab_v{versions.index(version)}"
                command = [sys.executable, "-m", "bench.store_writes", url, schema, str(writes)]
                done = subprocess.run(
                    pinning.wrap(command, pinning.server),
                    check=True,
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                    env={**os.environ, **envs[version]},  # noqa: TID251 - a child's environment
                )
                timed = json.loads(done.stdout)
                samples[version].append(
                    {
                        "wall": timed["wall_s"] * 1000 / writes,
                        "cpu": timed["cpu_s"] * 1000 / writes,
                        "database": timed["database_cpu_s"] * 1000 / writes,
                    }
                )
    return {
        v: {key: median([s[key] for s in done]) for key in ("wall", "cpu", "database")}
        for v, done in samples.items()
    }


def writes_section(revs: list[str], results: dict[str, dict[str, float]], writes: int) -> Section:
    out = Section(
        title="PostgreSQL store writes A/B: the working tree against earlier commits",
        columns=(
            "version",
            "ms per write",
            "process CPU ms/write",
            "backend CPU ms/write",
            f"time vs {revs[0]}",
            f"process CPU vs {revs[0]}",
            f"backend CPU vs {revs[0]}",
        ),
    )
    reference = results[revs[0]]
    for version in [*revs, WORKING_TREE]:
        m = results[version]
        out.rows.append(
            (
                version,
                fmt(m["wall"], 3),
                fmt(m["cpu"], 3),
                fmt(m["database"], 3),
                fmt(ratio(m["wall"], reference["wall"])),
                fmt(ratio(m["cpu"], reference["cpu"])),
                fmt(ratio(m["database"], reference["database"])),
            )
        )
    out.settings = [
        f"{writes} write transactions of one INSERT each per round (after 50 unmeasured), one "
        "process per version and round, versions in turn, medians over the rounds; the writing "
        "process and every PostgreSQL process on CPU 0 (taskset) when the machine has 2+ CPUs",
    ]
    return out


def section(
    revs: list[str], results: dict[tuple[str, str], Measured], load: LoadSettings
) -> Section:
    out = Section(
        title="PostgreSQL replica A/B: the working tree against earlier commits",
        columns=("request", "version", *FIGURES, f"req/s vs {revs[0]}", f"per CPU-s vs {revs[0]}"),
    )
    for name in REQUESTS:
        reference = results[(revs[0], name)]
        for version in [*revs, WORKING_TREE]:
            out.rows.append((name, version, *cells(results[(version, name)], reference)))
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
    parser.add_argument("--writes", type=int, help="the store's write path alone: N writes")
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
    if args.writes:
        written = measure_writes(args.revs, args.writes, args.repeats or 5)
        sections = [writes_section(args.revs, written, args.writes)]
    else:
        sections = [section(args.revs, measure(args.revs, load), load)]
    command = "python -m bench.postgres_ab " + " ".join(sys.argv[1:] if argv is None else argv)
    report.publish(
        sections,
        command=command,
        quick=args.quick,
        started=started,
        load_before=before,
        output=args.output,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
