"""Corpora of the search benchmarks: cached state files, what each cost to make, the server's
memory on it, and the search engine alone (in-process, no HTTP) over the distinct-query mix.

A corpus is a mock state file (`kitty-mock-saas serve --state ... --corpus N`) with its world
file and the world's text index beside it, generated once in a child process and renamed into
place only when complete. Its `.ready` file keeps what generating it cost.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from kitty_contracts import Provider
from kitty_mock_saas.tracker_fakes import TrackerWorld
from kitty_mock_saas.world import world_path

from .report import Check, Section, at_most, fmt, percentile, ratio

GENERATE_TIMEOUT_S = 1800.0
# Caches written before the text index (FTS5 worlds) have no format and are generated anew.
FORMAT = 2
ENGINE_ROUNDS = 3
ENGINE_P99_AIM_MS = 50.0

_GENERATE = """
import sys
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings
create_app(MockSettings(state_path=sys.argv[1], corpus=int(sys.argv[2])))
"""
# Rebuilds the text index from the world's SQLite alone, as a start without the index does.
_REBUILD = """
import json, resource, shutil, sys, time
from kitty_mock_saas.tracker_fakes import TrackerWorld
shutil.rmtree(sys.argv[1] + ".text", ignore_errors=True)
started = time.perf_counter()
TrackerWorld(sys.argv[1]).close()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": time.perf_counter() - started, "peak_rss_mb": peak}))
"""


@dataclass(frozen=True)
class CorpusFacts:
    """One cached corpus and what making it cost."""

    tickets: int
    state: str
    generate_s: float
    rebuild_s: float
    rebuild_peak_rss_mb: float
    world_mb: float
    index_mb: float


@dataclass(frozen=True)
class EngineSearch:
    """One search of the mix as the world sees it."""

    provider: Provider
    container_id: str
    account_id: str
    text: str


def _size_mb(path: Path) -> float:
    if path.is_dir():
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20
    return (
        sum(
            Path(f"{path}{suffix}").stat().st_size
            for suffix in ("", "-wal")
            if Path(f"{path}{suffix}").exists()
        )
        / 2**20
    )


def _remove_state(state: Path) -> None:
    world = Path(world_path(str(state)))
    shutil.rmtree(f"{world}.text", ignore_errors=True)
    for path in (state, world):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def ensure_corpus(cache: Path, size: int) -> CorpusFacts:
    """The cached corpus of `size` synthetic tickets (generated and measured when missing)."""
    state = cache / f"corpus-{size}.db"
    ready = cache / f"corpus-{size}.ready"
    world = Path(world_path(str(state)))
    if ready.is_file() and state.is_file() and world.is_file():
        try:
            facts = json.loads(ready.read_text(encoding="utf-8"))
            # Older `.ready` files held a bare number: anything but this format is stale.
            if isinstance(facts, dict) and facts.pop("format", None) == FORMAT:
                return CorpusFacts(**facts)
        except (ValueError, TypeError):
            pass
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f"partial-{size}.db"
    partial_world = Path(world_path(str(partial)))
    _remove_state(partial)
    _remove_state(state)
    print(f"bench: generating a {size:,}-ticket corpus (cached in {cache})", file=sys.stderr)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", _GENERATE, str(partial), str(size)],
        check=True,
        timeout=GENERATE_TIMEOUT_S,
    )
    generate_s = time.perf_counter() - started
    done = subprocess.run(
        [sys.executable, "-c", _REBUILD, str(partial_world)],
        check=True,
        timeout=GENERATE_TIMEOUT_S,
        capture_output=True,
        text=True,
    )
    rebuild = json.loads(done.stdout.strip().splitlines()[-1])
    Path(f"{partial_world}.text").rename(f"{world}.text")
    partial_world.rename(world)
    partial.rename(state)
    facts = CorpusFacts(
        tickets=size,
        state=str(state),
        generate_s=generate_s,
        rebuild_s=float(rebuild["seconds"]),
        rebuild_peak_rss_mb=float(rebuild["peak_rss_mb"]),
        world_mb=_size_mb(world),
        index_mb=_size_mb(Path(f"{world}.text")),
    )
    ready.write_text(json.dumps({"format": FORMAT, **asdict(facts)}) + "\n", encoding="utf-8")
    return facts


def engine_latency(facts: CorpusFacts, searches: Sequence[EngineSearch]) -> list[float]:
    """Seconds per `TrackerWorld.search` of every search of the mix (limit 10), over
    `ENGINE_ROUNDS` rounds after a warm-up round; no HTTP, no connector."""
    with TrackerWorld(world_path(facts.state)) as world:
        times: list[float] = []
        for round_number in range(ENGINE_ROUNDS + 1):
            for search in searches:
                started = time.perf_counter()
                world.search(
                    search.provider,
                    search.container_id,
                    search.text,
                    account_id=search.account_id,
                    limit=10,
                )
                if round_number:
                    times.append(time.perf_counter() - started)
    return times


def section(
    corpora: Sequence[CorpusFacts],
    latencies: dict[int, list[float]],
    rss_mb: dict[int, float],
    *,
    mix_size: int,
) -> Section:
    """Benchmark 6's table: per corpus size, what it cost to make, memory, the engine alone."""
    result = Section(
        title="6. Corpus sizes: generation, text index, memory and the search engine alone",
        columns=(
            "tickets",
            "generate s",
            "index rebuild s",
            "rebuild peak RSS MB",
            "world file MB",
            "text index MB",
            "server RSS MB",
            "engine p50 ms",
            "engine p99 ms",
        ),
    )
    for facts in corpora:
        times_ms = [t * 1000 for t in latencies.get(facts.tickets, [])]
        result.rows.append(
            (
                f"{facts.tickets:,}",
                fmt(facts.generate_s),
                fmt(facts.rebuild_s),
                fmt(facts.rebuild_peak_rss_mb),
                fmt(facts.world_mb),
                fmt(facts.index_mb),
                fmt(rss_mb.get(facts.tickets, float("nan"))),
                fmt(percentile(times_ms, 50), 3),
                fmt(percentile(times_ms, 99), 3),
            )
        )
    if corpora:
        largest = max(corpora, key=lambda f: f.tickets)
        p99 = percentile([t * 1000 for t in latencies.get(largest.tickets, [])], 99)
        value = ratio(p99, ENGINE_P99_AIM_MS)
        result.checks.append(
            Check(
                figure=f"engine p99 at {largest.tickets:,}, distinct mix: {fmt(p99, 3)} ms",
                reference=f"our aim: {ENGINE_P99_AIM_MS:g} ms",
                ratio=value,
                target="≤ 1",
                passed=at_most(value, 1),
            )
        )
    result.settings = [
        "generate s: the child process that creates the state, seeds the world, adds the corpus "
        "in chunks of 10,000 and indexes each chunk (cached afterwards, so a figure may come "
        "from an earlier run on this machine)",
        "index rebuild s / peak RSS: a fresh process opening the world without its text index, "
        "which rebuilds it from SQLite (what a start after losing the index costs)",
        "server RSS: every process of the mock server's process group after its load runs",
        f"engine: `TrackerWorld.search` in the harness process over the {mix_size} searches of "
        f"the distinct mix, {ENGINE_ROUNDS} rounds after a warm-up round, limit 10",
        f"CPU: {os.cpu_count()} cores shared with the servers' idle processes",
    ]
    return result
