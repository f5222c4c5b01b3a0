"""`python -m bench.run [--quick]`: run every benchmark and write `bench/results.md`.

Installs what it needs (wrk through apt when missing and root, Prism through `npm ci` in
`bench/node/`), starts every server on 127.0.0.1 and always stops it, and writes one table per
benchmark with each figure as a ratio against a reference measured in the same run.

examples:
  .venv/bin/python -m bench.run                  the full run (about 15 minutes)
  .venv/bin/python -m bench.run --quick          a short smoke run
  .venv/bin/python -m bench.run --only flow outbox --output /tmp/results.md
  .venv/bin/python -m bench.run --only shared       SQLite vs PostgreSQL replicas (3 min)
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import importlib.metadata
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from kitty_origin.deadline import DeadlineHTTPTransport

from . import client_overhead, corpus, flow, outbox, search, servers, shared_mock
from .report import Section, machine_facts, render
from .wrk import LoadSettings, RunResult, ensure_wrk, run_once, summarize, write_script

BENCH_DIR = Path(__file__).resolve().parent
CACHE = BENCH_DIR / ".cache"
NODE_DIR = BENCH_DIR / "node"
PRISM_BIN = NODE_DIR / "node_modules" / ".bin" / "prism"
CONTRACT_BUNDLE = BENCH_DIR.parent / "generated" / "kitty_contracts" / "openapi.json"
BENCHMARKS = ("search", "client", "flow", "outbox", "shared")
WORKERS = 1


@dataclass(frozen=True)
class Plan:
    """How much of everything one run does."""

    mode: str
    sizes: list[int]
    primary_size: int
    load: LoadSettings
    client_iterations: int
    flow_iterations: int
    outbox: outbox.OutboxSettings
    only: tuple[str, ...] = BENCHMARKS
    prism: bool = True
    upstream: bool = True
    extra_notes: list[str] = field(default_factory=list)


FULL = Plan(
    mode="full",
    sizes=[1_000, 10_000, 100_000, 1_000_000],
    primary_size=100_000,
    load=LoadSettings(connections=32, threads=1, duration_s=10, repeats=3, warmup_s=2),
    client_iterations=2_000,
    flow_iterations=300,
    outbox=outbox.OutboxSettings(),
)
QUICK = Plan(
    mode="quick",
    sizes=[1_000, 10_000],
    primary_size=10_000,
    load=LoadSettings(connections=32, threads=1, duration_s=2, repeats=1, warmup_s=1),
    client_iterations=200,
    flow_iterations=30,
    outbox=outbox.OutboxSettings(
        events=200,
        prefill=1_000,
        live_events=50,
        upstream_events=50,
        upstream_live_events=20,
        upstream_prefilled_events=50,
    ),
)


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def ensure_prism() -> Path:
    """Prism from `bench/node/` (`npm ci` when missing or older than the lock file)."""
    lock = NODE_DIR / "package-lock.json"
    if PRISM_BIN.exists() and PRISM_BIN.stat().st_mtime >= lock.stat().st_mtime:
        return PRISM_BIN
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed (apt-get install -y npm)")
    log("installing Prism (npm ci in bench/node)")
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0 or not PRISM_BIN.exists():
        raise RuntimeError(f"npm ci failed: {done.stderr[-2000:]}")
    PRISM_BIN.touch()
    return PRISM_BIN


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _tool_version(command: Sequence[str]) -> str:
    try:
        done = subprocess.run(list(command), capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    text = (done.stdout + done.stderr).strip().splitlines()
    return text[0] if text else "unknown"


def run_search(plan: Plan, want_client: bool) -> list[Section]:
    """Benchmarks 1 and 2 (and 3, which needs the primary corpus's server).

    Every server runs at once (idle ones cost nothing) and the repeats go round-robin over
    them, so a change in the machine's background load hits every figure alike.
    """
    wrk = ensure_wrk()
    pinning = servers.Pinning.detect()
    logs = CACHE / "logs"
    scripts = CACHE / "wrk"
    scripts.mkdir(parents=True, exist_ok=True)
    lua = {
        name: write_script(request, scripts, name.replace(" ", "-").replace(",", ""))
        for name, request in search.QUERIES.items()
    }
    results = search.SearchResults(
        ours={}, prism={}, ceiling=None, body_bytes={}, primary_size=plan.primary_size
    )
    notes: list[str] = []
    overhead: client_overhead.OverheadTimes | None = None
    do_search = "search" in plan.only
    sizes = plan.sizes if do_search else [plan.primary_size]
    with contextlib.ExitStack() as stack:
        targets: list[tuple[str, str, str]] = []  # (server label, base URL, query)
        if do_search:
            url = stack.enter_context(servers.ceiling(workers=WORKERS, pinning=pinning, logs=logs))
            results.body_bytes["ceiling"] = search.check_answer(url, search.TEXT, expect_match=True)
            targets.append(("ceiling", url, search.TEXT))
            if plan.prism:
                try:
                    prism_bin = ensure_prism()
                    url = stack.enter_context(
                        servers.prism(prism_bin, CONTRACT_BUNDLE, pinning=pinning, logs=logs)
                    )
                    for name in search.HEAD_TO_HEAD:
                        results.body_bytes[f"prism {name}"] = search.check_answer(
                            url, name, expect_match=True
                        )
                        targets.append(("prism", url, name))
                except (RuntimeError, OSError, servers.ServerError) as exc:
                    notes.append(f"Prism not measured: {exc}")
            else:
                notes.append("Prism not measured (skipped in this run)")
        mock_urls: dict[int, str] = {}
        corpora: list[corpus.CorpusFacts] = []
        latencies: dict[int, list[float]] = {}
        for size in sizes:
            facts = corpus.ensure_corpus(CACHE, size)
            corpora.append(facts)
            state = Path(facts.state)
            if do_search:
                log(f"search engine alone on the {size:,}-ticket corpus (distinct mix)")
                latencies[size] = corpus.engine_latency(facts, search.mix_searches())
            log(f"starting kitty-mock-saas on the {size:,}-ticket corpus")
            mock_urls[size] = url = stack.enter_context(
                servers.mock_saas(state, size, workers=WORKERS, pinning=pinning, logs=logs)
            )
            if do_search:
                for name in search.QUERIES:
                    body = search.check_answer(url, name, expect_match=True)
                    results.body_bytes.setdefault(f"ours {name}", body)
                    targets.append((str(size), url, name))
        runs: dict[tuple[str, str], list[RunResult]] = {(t[0], t[2]): [] for t in targets}
        for label, url, name in targets:
            log(f"warm-up {label} {name}")
            run_once(
                wrk, url + search.SEARCH_PATH, lua[name], plan.load.warmup_s, plan.load, pinning
            )
        for repeat in range(plan.load.repeats):
            shift = repeat % max(1, len(targets))
            for label, url, name in targets[shift:] + targets[:shift]:
                log(f"repeat {repeat + 1}/{plan.load.repeats}: wrk {label} {name}")
                runs[(label, name)].append(
                    run_once(
                        wrk,
                        url + search.SEARCH_PATH,
                        lua[name],
                        plan.load.duration_s,
                        plan.load,
                        pinning,
                        server_cpu=functools.partial(servers.cpu_seconds, url),
                    )
                )
        if do_search:
            # One connection: the latency one developer sees, without 31 requests queued ahead.
            single = dataclasses.replace(plan.load, connections=1)
            for size in (min(sizes), max(sizes)):
                for name in search.ONE_CLIENT_QUERIES:
                    log(f"one client: wrk {size} {name}")
                    single_runs = tuple(
                        run_once(
                            wrk,
                            mock_urls[size] + search.SEARCH_PATH,
                            lua[name],
                            plan.load.duration_s,
                            single,
                            pinning,
                            server_cpu=functools.partial(servers.cpu_seconds, mock_urls[size]),
                        )
                        for _ in range(plan.load.repeats)
                    )
                    results.one_client[(size, name)] = summarize(single_runs)
        rss_mb = {size: servers.rss_mb(url) for size, url in mock_urls.items()}
        for (label, name), done in runs.items():
            result = summarize(tuple(done))
            if result.errors:
                notes.append(f"{label} {name}: wrk counted {result.errors} errors")
            if label == "ceiling":
                results.ceiling = result
            elif label == "prism":
                results.prism[name] = result
            else:
                results.ours[(int(label), name)] = result
        if want_client:
            url = mock_urls[plan.primary_size]
            log(f"client overhead against {url}")
            overhead = client_overhead.measure(
                lambda: httpx.Client(base_url=url, timeout=30.0),
                url,
                plan.client_iterations,
                client_transport=DeadlineHTTPTransport,
                cpus=pinning.load,
                server=f"kitty-mock-saas over uvicorn, {plan.primary_size:,} tickets, "
                f"{WORKERS} worker, CPU {','.join(map(str, pinning.server)) or 'any'}",
            )
    sections: list[Section] = []
    if "search" in plan.only:
        settings = [
            f"load generator: {_tool_version(['wrk', '--version'])}; "
            + plan.load.describe(pinning),
            f"servers: {WORKERS} worker process each — kitty-mock-saas "
            f"(`kitty-mock-saas serve --workers {WORKERS}`: uvicorn {_version('uvicorn')}, "
            f"httptools {_version('httptools')}, uvloop {_version('uvloop')}) and the ceiling "
            f"(`uvicorn --factory bench.ceiling:create_app --workers {WORKERS} --http httptools "
            "--loop uvloop`); Prism is one node process "
            f"(node {_tool_version(['node', '--version'])}, `prism mock --verboseLevel error` of "
            "generated/kitty_contracts/openapi.json)",
            "one worker each because the machine has 2 cores and wrk needs one of them: the "
            "server gets CPU 0 alone, wrk CPU 1",
            "requests: POST /api/v1/tracker/issue-search/ with Bearer tok-alice, X-Team-Slug acme; "
            "free text = linear / acme-web 'Clerk auth' (the contract's named example), exact key "
            "= jira / acme-iam IAM-42, distinct mix = the 300 queries of benchmark 2 in turn; "
            "every server's answer is checked (200, a candidate; every body of the mix 200) "
            "before its load",
            "server CPU ms/req: the CPU time (user + system) of the server's whole process group "
            "during each wrk run over the requests it answered, median of the repeats; the "
            "'per server CPU-s' checks compare its inverse, which other work on the shared "
            "machine does not move (req/s falls whenever another process takes the server's "
            "core)",
            "Prism answers its static example for any valid request; the ceiling answers the same "
            "example bytes without reading them",
        ]
        results_notes = [*notes, *plan.extra_notes]
        sections.append(search.head_to_head(results, settings=settings, notes=results_notes))
        sections.append(
            search.scaling(
                results,
                plan.sizes,
                settings=[
                    "same server, load generator and pinning as benchmark 1; one server per corpus "
                    "size, each from a cached state file (bench/.cache/corpus-N.db)",
                    "'free text, corpus words' = linear / acme-web 'billing export': words of the "
                    "synthetic corpus, so its match set grows with the corpus (the key and "
                    "'free text' queries match the seeded tickets only)",
                    f"'{search.ONE_CLIENT}': the same wrk with 1 connection instead of "
                    f"{plan.load.connections} (at the smallest and largest size), so its p99 is "
                    "the latency one developer sees; with 32 connections a request waits behind "
                    "the others (queueing), at every corpus size",
                    f"'free text, distinct mix' = {search.MIX_SIZE} different queries sent in "
                    "turn (each corpus word alone, then random pairs), spread over linear / "
                    "acme-web, jira / acme-iam and github / acme-web, so no cache decides it",
                ],
            )
        )
        sections.append(corpus.section(corpora, latencies, rss_mb, mix_size=search.MIX_SIZE))
    if overhead is not None:
        sections.append(client_overhead.section(overhead, pinning=f"pinned to CPU {pinning.load}"))
    return sections


def run(plan: Plan) -> list[Section]:
    """Every benchmark of `plan`, in order."""
    sections: list[Section] = []
    if "search" in plan.only or "client" in plan.only:
        sections += run_search(plan, want_client="client" in plan.only)
    if "flow" in plan.only:
        log(f"end-to-end flow, {plan.flow_iterations} iterations")
        CACHE.mkdir(parents=True, exist_ok=True)
        sections.append(flow.section(flow.measure(plan.flow_iterations, directory=CACHE)))
    if "outbox" in plan.only:
        log("outbox enqueue rate (ours, then spec-kitty-cli 3.2.7)")
        sections.append(outbox.run(plan.outbox, with_upstream=plan.upstream))
    if "shared" in plan.only:
        load = shared_mock.QUICK if plan.mode == "quick" else shared_mock.FULL
        log("a shared mock: SQLite vs one and two PostgreSQL replicas")
        sections.append(shared_mock.section(shared_mock.measure(load, log=log), load))
    return sorted(sections, key=lambda s: s.title)


def main(argv: list[str] | None = None, *, now: Callable[[], float] = time.monotonic) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="a much shorter run (smoke test)")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, help="run only these benchmarks")
    parser.add_argument("--no-prism", action="store_true", help="skip Prism")
    parser.add_argument("--no-upstream", action="store_true", help="skip spec-kitty-cli's queue")
    parser.add_argument(
        "--output", type=Path, default=BENCH_DIR / "results.md", help="default bench/results.md"
    )
    args = parser.parse_args(argv)
    base = QUICK if args.quick else FULL
    plan = Plan(
        **{
            **base.__dict__,
            "only": tuple(args.only or BENCHMARKS),
            "prism": not args.no_prism,
            "upstream": not args.no_upstream,
        }
    )
    servers.install_cleanup()
    started = now()
    load_before = os.getloadavg()
    try:
        sections = run(plan)
    finally:
        servers.stop_all()
    command = "python -m bench.run" + (" --quick" if args.quick else "")
    if args.only:
        command += " --only " + " ".join(args.only)
    load_after = os.getloadavg()
    machine = [
        *machine_facts(),
        f"run took {now() - started:,.0f} s; 1-minute load average {load_before[0]:.2f} at the "
        f"start, {load_after[0]:.2f} at the end (other work on the machine shares the 2 cores; "
        "the round-robin repeats spread it over every server alike)",
    ]
    args.output.write_text(
        render(sections, command=command, mode=plan.mode, machine=machine), encoding="utf-8"
    )
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
