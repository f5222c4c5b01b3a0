"""End-to-end ticket-first flow against the in-process mock: search, confirm, start the mission.

One iteration = `search_origin_candidates` (free text) → confirm the first candidate →
`start_mission_from_ticket` (SaaS bind, meta.json written atomically, event queued durably), in a
fresh repository each time. The mock is `create_app(MockSettings())` behind Starlette's
`TestClient` (an `httpx.Client`), so no socket is involved.
"""

from __future__ import annotations

import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings
from kitty_origin import (
    ClientSettings,
    SaaSTrackerClient,
    StaticTokenProvider,
    search_origin_candidates,
    start_mission_from_ticket,
)

from .report import Check, Section, at_most, fmt, median, percentile, ratio

SPEC_LIMIT_S = 30.0
AIM_MS = 50.0
TRACKER_BINDING = "tracker:\n  provider: linear\n  project_slug: acme-web\n"


@dataclass(frozen=True)
class FlowTimes:
    """Per-iteration seconds: the whole flow and its two calls."""

    total: tuple[float, ...]
    search: tuple[float, ...]
    start: tuple[float, ...]


def measure(iterations: int, warmup: int = 5, *, directory: Path | None = None) -> FlowTimes:
    """Run the flow `warmup + iterations` times; return the timed iterations."""
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

    total: list[float] = []
    search: list[float] = []
    start: list[float] = []
    with (
        tempfile.TemporaryDirectory(prefix="kitty-bench-flow-", dir=directory) as tmp,
        TestClient(create_app(MockSettings())) as mock,
    ):
        settings = ClientSettings.from_env(
            env={},
            base_url=str(mock.base_url),
            team="acme",
            token_provider=StaticTokenProvider("tok-alice"),
        )
        with SaaSTrackerClient(settings, http_client=mock) as client:
            for index in range(warmup + iterations):
                repo = Path(tmp) / f"repo-{index}"
                (repo / ".kittify").mkdir(parents=True)
                (repo / ".kittify" / "config.yaml").write_text(TRACKER_BINDING, encoding="utf-8")
                began = time.perf_counter()
                found = search_origin_candidates(repo, query_text="Clerk auth", client=client)
                searched = time.perf_counter()
                chosen = found.candidates[0]
                started = start_mission_from_ticket(
                    repo,
                    chosen,
                    found.provider.value,
                    found.resource_type.value,
                    found.resource_id,
                    client=client,
                )
                ended = time.perf_counter()
                if not started.event_emitted or not (started.feature_dir / "meta.json").is_file():
                    raise RuntimeError(f"flow {index} incomplete: {started.event_error}")
                if index >= warmup:
                    total.append(ended - began)
                    search.append(searched - began)
                    start.append(ended - searched)
    return FlowTimes(tuple(total), tuple(search), tuple(start))


def section(times: FlowTimes) -> Section:
    """Benchmark 4's table."""
    p50 = median(times.total) * 1000
    p99 = percentile(times.total, 99) * 1000
    result = Section(
        title="4. End-to-end ticket-first flow (in-process mock)",
        columns=("step", "p50 ms", "p99 ms", "max ms"),
    )
    for name, values in (
        ("search_origin_candidates (free text)", times.search),
        ("start_mission_from_ticket (bind, meta.json, outbox)", times.start),
        ("whole flow", times.total),
    ):
        result.rows.append(
            (
                name,
                fmt(median(values) * 1000),
                fmt(percentile(values, 99) * 1000),
                fmt(max(values, default=float("nan")) * 1000),
            )
        )
    spec_ratio = ratio(p99, SPEC_LIMIT_S * 1000)
    result.checks += [
        Check(
            figure=f"flow p99: {fmt(p99)} ms",
            reference=f"the spec's limit: {SPEC_LIMIT_S:g} s",
            ratio=spec_ratio,
            target="≤ 1",
            passed=at_most(spec_ratio, 1),
        ),
        Check(
            figure=f"flow p50: {fmt(p50)} ms",
            reference=f"our aim: {AIM_MS:g} ms",
            ratio=ratio(p50, AIM_MS),
            target="≤ 1",
            passed=at_most(ratio(p50, AIM_MS), 1),
        ),
        Check(
            figure=f"flow p99: {fmt(p99)} ms",
            reference=f"our aim: {AIM_MS:g} ms",
            ratio=ratio(p99, AIM_MS),
            target="≤ 1",
            passed=at_most(ratio(p99, AIM_MS), 1),
        ),
    ]
    result.settings = [
        f"{len(times.total):,} timed iterations after 5 warm-up ones, each in a fresh repository "
        "(.kittify/config.yaml binding linear / acme-web) on the same in-process mock",
        "search by free text 'Clerk auth', confirm the first candidate, start_mission_from_ticket",
        "mock: create_app(MockSettings()) (seeded default, state in memory) behind TestClient",
        "the outbox commits with synchronous=FULL, so each flow includes the fsyncs of meta.json "
        "(file + directory) and of the outbox commit",
    ]
    return result
