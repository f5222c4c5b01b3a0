"""The tracker world on SQLite and on PostgreSQL: `python -m bench.world_backends [--postgres URL]`.

Times, on each backend, the default seed plus a synthetic corpus (`--corpus`, 10,000 by default),
then a free-text search and an exact-key read of the world (`TrackerWorld.search` and
`TrackerWorld.ticket`, in process: the world's own cost, without HTTP), each call in a request
scope as the served mock makes one per request (the store's version is read once per request).
Each read figure is the minimum over batches of the median per call (the machine is shared).
Prints each figure and the PostgreSQL/SQLite ratio. Without `--postgres` a throwaway server is
started (and removed).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kitty_contracts import Provider
from kitty_mock_saas.read_memo import request_scope
from kitty_mock_saas.tracker_fakes.world import TrackerWorld, generate_corpus, seed_default_world
from kitty_mock_saas.tracker_fakes.world.seed import ACME_WEB_TEAM

_BATCHES = 5
_CALLS = 200


def _per_call(call: Callable[[], object]) -> float:
    """The least disturbed batch's median seconds per call."""
    medians = []
    for _ in range(_BATCHES):
        times = []
        for _ in range(_CALLS):
            started = time.perf_counter()
            with request_scope():
                call()
            times.append(time.perf_counter() - started)
        medians.append(statistics.median(times))
    return min(medians)


def measure(location: str, corpus: int) -> dict[str, float]:
    """Seed and corpus time, then one search's and one exact-key read's time, at `location`."""
    started = time.perf_counter()
    world = TrackerWorld(location)
    seed_default_world(world)
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    generate_corpus(world, corpus, seed=7)
    generated = time.perf_counter() - started
    try:
        team = ACME_WEB_TEAM.id

        def search() -> object:
            return world.search(
                Provider.linear, team, "billing export", account_id="lin-alice", limit=10
            )

        def exact() -> object:
            return world.ticket(Provider.linear, "WEB-123")

        return {
            "seed s": seeded,
            f"corpus {corpus:,} s": generated,
            "search ms": _per_call(search) * 1000,
            "exact key ms": _per_call(exact) * 1000,
        }
    finally:
        world.close()


@contextmanager
def postgres_database(url: str | None) -> Iterator[str]:
    """`url`, or an empty database of a throwaway server (removed afterwards)."""
    if url is not None:
        yield url
        return
    from bench.throwaway_postgres import ThrowawayPostgres, find_binaries

    server = ThrowawayPostgres(find_binaries())
    try:
        server.start()
        yield server.create_database()
    finally:
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=int, default=10_000)
    parser.add_argument("--postgres", help="an empty database's URL (default: a throwaway one)")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = measure(str(Path(tmp) / "world.sqlite"), args.corpus)
    rows = {name: [value] for name, value in sqlite.items()}
    if not args.sqlite_only:
        with postgres_database(args.postgres) as url:
            for name, value in measure(url, args.corpus).items():
                rows[name].append(value)
    print(f"{'':24} {'SQLite':>10} {'PostgreSQL':>11} {'ratio':>7}")
    for name, values in rows.items():
        cells = f"{values[0]:10.3f}"
        if len(values) > 1:
            cells += f" {values[1]:11.3f} {values[1] / values[0]:6.1f}x"
        print(f"{name:24} {cells}")


if __name__ == "__main__":
    main()
