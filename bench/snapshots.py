"""`python -m bench.snapshots [--mb 250]`: snapshot save and restore of a large state, under load.

A state file is filled to about `--mb` MB (dossier artifacts, a state table), `kitty-mock-saas
serve --state FILE` starts on it, and a poller keeps sending small reads (`GET /__admin/snapshots`)
one after the other. The figures: how long the save and the restore take, the longest wait of a
concurrent read during each divided by the median read before (1 means the reads did not notice),
reads answered during each, and the server's RSS before, at its peak and after. The ordering
evidence (reads answer while a save or restore waits) is in tests/mock_saas/test_snapshots_online.py.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
from kitty_mock_saas.process import MockProcess, start_mock
from kitty_mock_saas.state import open_state

ADMIN = {"X-Admin-Token": "admin-secret"}
_ROW_BYTES = 256 * 1024


def fill(state: Path, megabytes: int) -> None:
    """A state file of about `megabytes` MB: the mock's schema plus that much dossier content."""
    open_state(str(state)).close()
    conn = sqlite3.connect(state)
    body = "x" * _ROW_BYTES
    rows = (
        ("bench", "bench", f"artifact-{i}.md", f"{i:064x}", "sha256", body, "now", "bench")
        for i in range(megabytes * 1024 * 1024 // _ROW_BYTES)
    )
    with conn:
        conn.executemany("INSERT INTO dossier_artifacts VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def rss_kb(mock: MockProcess, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{mock.process.pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for the mock")


class Poller:
    """Small reads, one after another, each's latency kept with its start time."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.samples: list[tuple[float, float]] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.peak_rss_kb = 0

    def _run(self) -> None:
        with httpx.Client(timeout=60) as client:
            while not self._stop.is_set():
                start = time.perf_counter()
                try:
                    client.get(f"{self.url}/__admin/snapshots", headers=ADMIN).raise_for_status()
                except httpx.HTTPError as exc:
                    self.errors.append(repr(exc))
                    continue
                self.samples.append((start, time.perf_counter() - start))

    def __enter__(self) -> Poller:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(60)

    def during(self, start: float, end: float) -> list[float]:
        return [latency for at, latency in self.samples if at + latency >= start and at <= end]


def timed(call: str, url: str, poller: Poller, mock: MockProcess) -> dict[str, float]:
    before = poller.during(0, time.perf_counter())
    start = time.perf_counter()
    method, path = call.split(" ", 1)
    with httpx.Client(timeout=600) as client:
        done = threading.Event()

        def watch_rss() -> None:
            while not done.is_set():
                poller.peak_rss_kb = max(poller.peak_rss_kb, rss_kb(mock))
                done.wait(0.02)

        watcher = threading.Thread(target=watch_rss, daemon=True)
        watcher.start()
        client.request(method, url + path, headers=ADMIN).raise_for_status()
        done.set()
        watcher.join()
    end = time.perf_counter()
    time.sleep(0.5)  # reads that straddled the end finish
    during = poller.during(start, end)
    baseline = statistics.median(before[-50:])
    return {
        "seconds": end - start,
        "reads_during": len(during),
        "longest_read_ratio": max(during, default=0.0) / baseline,
        "baseline_read_ms": baseline * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=250, help="state size in MB (default 250)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kitty-bench-snapshots-") as folder:
        state = Path(folder) / "mock.db"
        fill(state, args.mb)
        print(f"state file: {state.stat().st_size / 2**20:.0f} MB")
        mock = start_mock("--state", str(state))
        try:
            rss_start = rss_kb(mock)
            with Poller(mock.url) as poller:
                while len(poller.samples) < 50:
                    if poller.errors:
                        raise RuntimeError(f"the reads fail: {poller.errors[0]}")
                    time.sleep(0.1)
                save = timed("PUT /__admin/snapshots/big", mock.url, poller, mock)
                time.sleep(1.0)
                restore = timed("POST /__admin/snapshots/big/restore", mock.url, poller, mock)
                time.sleep(1.0)
            rss_end = rss_kb(mock)
            for name, figures in (("save", save), ("restore", restore)):
                print(
                    f"{name:8} {figures['seconds']:6.2f} s; {figures['reads_during']:4d} reads "
                    f"answered meanwhile, the longest {figures['longest_read_ratio']:.1f}x the "
                    f"median read before ({figures['baseline_read_ms']:.1f} ms)"
                )
            print(
                f"server RSS: {rss_start / 1024:.0f} MB at start, peak {poller.peak_rss_kb / 1024:.0f} "
                f"MB, {rss_end / 1024:.0f} MB after"
            )
        finally:
            mock.stop()


if __name__ == "__main__":
    main()
