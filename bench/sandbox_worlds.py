"""`python -m bench.sandbox_worlds [--tickets 50000] [--sandboxes 8]`: a sandbox's world as a copy
of the mock's world (what it was) and as an overlay over it (what it is).

A world file of `--tickets` tickets is generated (kept in `--dir` between runs). For each way,
`--sandboxes` sandbox worlds each edit one ticket: the figures are the first edit's time (the copy
or the overlay's creation included) and the bytes each sandbox adds on disk, then the time of the
reads a sandbox makes most (a ticket by key, a page of tickets, a free-text search) on an
overlay divided by the same read on the base world (1 means no cost).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kitty_contracts import Provider
from kitty_mock_saas.tracker_fakes.world import (
    TicketChanges,
    TrackerWorld,
    generate_corpus,
    seed_default_world,
)
from kitty_mock_saas.tracker_fakes.world.overlay import OverlayWorld

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sandbox_worlds")
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument("--sandboxes", type=int, default=8)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "kitty-bench")
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    base = TrackerWorld(args.dir / f"world-{args.tickets}.sqlite")
    seed_default_world(base)
    missing = args.tickets - base.count_tickets()
    if missing > 0:
        generate_corpus(base, missing, seed=1)
    print(f"world: {base.count_tickets():,} tickets, {_bytes(Path(base.path)) / 1e6:.1f} MB")
    sandboxes = args.dir / "sandboxes"
    for way in ("copy", "overlay"):
        shutil.rmtree(sandboxes, ignore_errors=True)
        sandboxes.mkdir()
        times = []
        for n in range(args.sandboxes):
            path = str(sandboxes / f"s{n}.world")
            started = time.perf_counter()
            own = base.copy_to(path) if way == "copy" else OverlayWorld(path, base=base)
            own.edit_ticket(L, "WEB-123", TicketChanges.of(title=f"Edited in s{n}"))
            times.append(time.perf_counter() - started)
            own.close()
        per_sandbox = _bytes(sandboxes / "s") / args.sandboxes
        print(
            f"{way}: first edit median {statistics.median(times) * 1000:.0f} ms, "
            f"{per_sandbox / 1e3:,.0f} KB per sandbox on disk"
        )
    overlay = OverlayWorld(str(sandboxes / "s0.world"), base=base)
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
    overlay.close()
    base.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
