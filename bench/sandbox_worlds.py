"""`python -m bench.sandbox_worlds [--tickets 50000] [--sandboxes 8] [--postgres [URL]]`: a
sandbox's world as a copy of the mock's world (what it was) and as an overlay over it (what it
is).

A world file of `--tickets` tickets is generated (kept in `--dir` between runs). For each way,
`--sandboxes` sandbox worlds each edit one ticket: the figures are the first edit's time (the copy
or the overlay's creation included) and the bytes each sandbox adds on disk, then the time of the
reads a sandbox makes most (a ticket by key, a page of tickets, a free-text search) on an
overlay divided by the same read on the base world (1 means no cost).

With `--postgres` the world is in PostgreSQL (a throwaway server's database unless a URL is
given) and only the overlay is measured: a schema per sandbox, its size what PostgreSQL counts
for its tables and indexes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kitty_contracts import Provider
from kitty_mock_saas.store.schemas import sandbox_world_schema
from kitty_mock_saas.tracker_fakes.world import (
    TicketChanges,
    TrackerWorld,
    generate_corpus,
    seed_default_world,
)
from kitty_mock_saas.tracker_fakes.world.overlay import OverlayWorld

from bench.world_backends import postgres_database

L = Provider.linear
_READS = 50


def _bytes(prefix: Path) -> int:
    total = 0
    for path in prefix.parent.glob(prefix.name + "*"):
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        total += sum(f.stat().st_size for f in files)
    return total


def _median_ms(read: Callable[[TrackerWorld], object], world: TrackerWorld) -> float:
    read(world)
    samples = []
    for _ in range(_READS):
        started = time.perf_counter()
        read(world)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _schema_bytes(world: TrackerWorld, schemas: list[str]) -> int:
    """What PostgreSQL counts for the tables (and their indexes) of these schemas."""
    with world._store.read() as db:
        row = db.execute(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = ANY (ARRAY(SELECT jsonb_array_elements_text("
            "(?)::jsonb)))",
            (json.dumps(schemas),),
        ).fetchone()
    return int(row[0])


def _world(location: str, tickets: int) -> TrackerWorld:
    base = TrackerWorld(location)
    seed_default_world(base)
    missing = tickets - base.count_tickets()
    if missing > 0:
        generate_corpus(base, missing, seed=1)
    return base


def _first_edits(
    base: TrackerWorld, way: str, places: list[str]
) -> tuple[float, list[TrackerWorld]]:
    """The median time of each sandbox's first edit, its world made (`way`) at each place."""
    times, worlds = [], []
    for n, place in enumerate(places):
        started = time.perf_counter()
        own = base.copy_to(place) if way == "copy" else OverlayWorld(place, base=base)
        own.edit_ticket(L, "WEB-123", TicketChanges.of(title=f"Edited in s{n}"))
        times.append(time.perf_counter() - started)
        worlds.append(own)
    return statistics.median(times), worlds


def _reads(base: TrackerWorld, overlay: TrackerWorld) -> None:
    reads: dict[str, Callable[[TrackerWorld], object]] = {
        "ticket by key": lambda world: world.ticket(L, "WEB-125"),
        "page of 50 tickets": lambda world: world.tickets(L, "WEB", limit=50, offset=50),
        "free-text search": lambda world: world.search(
            L, None, "dashboard", account_id="lin-alice", limit=20
        ),
    }
    for name, read in reads.items():
        ratio = _median_ms(read, overlay) / _median_ms(read, base)
        print(f"{name}: overlay / base median {ratio:.1f}x")


def _on_postgres(url: str, args: argparse.Namespace) -> None:
    base = _world(url, args.tickets)
    print(f"PostgreSQL world: {base.count_tickets():,} tickets")
    schemas = [sandbox_world_schema(f"bench-s{n}") for n in range(args.sandboxes)]
    first, worlds = _first_edits(base, "overlay", schemas)
    per_sandbox = _schema_bytes(base, schemas) / args.sandboxes
    print(
        f"overlay: first edit median {first * 1000:.0f} ms, {per_sandbox / 1e3:,.0f} KB per sandbox"
    )
    _reads(base, worlds[0])
    for world in worlds:
        world.close()
    base.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sandbox_worlds")
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument("--sandboxes", type=int, default=8)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "kitty-bench")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="",
        help="the world in PostgreSQL: an empty database's URL (none: a throwaway server's)",
    )
    args = parser.parse_args(argv)
    if args.postgres is not None:
        with postgres_database(args.postgres or None) as url:
            _on_postgres(url, args)
        return 0
    args.dir.mkdir(parents=True, exist_ok=True)
    base = _world(str(args.dir / f"world-{args.tickets}.sqlite"), args.tickets)
    print(f"world: {base.count_tickets():,} tickets, {_bytes(Path(base.path)) / 1e6:.1f} MB")
    sandboxes = args.dir / "sandboxes"
    for way in ("copy", "overlay"):
        shutil.rmtree(sandboxes, ignore_errors=True)
        sandboxes.mkdir()
        places = [str(sandboxes / f"s{n}.world") for n in range(args.sandboxes)]
        first, worlds = _first_edits(base, way, places)
        for own in worlds:
            own.close()
        per_sandbox = _bytes(sandboxes / "s") / args.sandboxes
        print(
            f"{way}: first edit median {first * 1000:.0f} ms, "
            f"{per_sandbox / 1e3:,.0f} KB per sandbox on disk"
        )
    overlay = OverlayWorld(str(sandboxes / "s0.world"), base=base)
    _reads(base, overlay)
    overlay.close()
    base.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
