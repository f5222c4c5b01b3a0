"""Client overhead: `SaaSTrackerClient.search_issues` against a raw `httpx.Client` POST.

Both talk to the same server with the same body over their own keep-alive `httpx.Client`; the
variants are interleaved (rotating order each round) so drift in the server hits all alike.

- client: `search_issues(...)`: request model + schema check, generated endpoint function, retry
  layer with deadline, contract validation of the answer, typed `IssueSearchResponse`;
- raw + json: `post` + status check + `response.json()` (the least any caller does);
- raw: `post` + status check, body read but not decoded.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from kitty_origin import ClientSettings, SaaSTrackerClient, StaticTokenProvider

from .report import Check, Section, at_most, fmt, median, percentile, ratio

SEARCH_PATH = "/api/v1/tracker/issue-search/"
TARGET = 1.15
VARIANTS = ("client", "raw + json", "raw")


@dataclass(frozen=True)
class OverheadTimes:
    """Per-call seconds of each variant."""

    seconds: dict[str, tuple[float, ...]]
    iterations: int
    server: str


@contextmanager
def _affinity(cpus: tuple[int, ...]) -> Iterator[None]:
    """Run this process on `cpus` (the load generator's CPUs) for the duration."""
    if not cpus:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, set(cpus))
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def measure(
    make_http: Callable[[], httpx.Client],
    base_url: str,
    iterations: int,
    *,
    warmup: int = 50,
    cpus: tuple[int, ...] = (),
    server: str = "",
    client_transport: Callable[[], httpx.BaseTransport] | None = None,
) -> OverheadTimes:
    """Time `iterations` rounds of the three variants (after `warmup` untimed rounds).

    `make_http()` builds each variant's `httpx.Client` (an httpx client on a URL, or a
    `TestClient`). Against a live server pass `client_transport` (e.g. `httpx.HTTPTransport`):
    our client then sends through its own wire client over that transport, as it does in
    production, instead of through an injected client.
    """
    body = {
        "provider": "linear",
        "project_slug": "acme-web",
        "query_text": "Clerk auth",
        "limit": 10,
    }
    content = json.dumps(body).encode()
    headers = {
        "Authorization": "Bearer tok-alice",
        "X-Team-Slug": "acme",
        "Content-Type": "application/json",
    }
    seconds: dict[str, list[float]] = {name: [] for name in VARIANTS}
    settings = ClientSettings.from_env(
        env={}, base_url=base_url, team="acme", token_provider=StaticTokenProvider("tok-alice")
    )
    with (
        make_http() as ours_http,
        make_http() as raw_http,
        (
            SaaSTrackerClient(settings, transport=client_transport())
            if client_transport is not None
            else SaaSTrackerClient(settings, http_client=ours_http)
        ) as client,
        _affinity(cpus),
    ):

        def via_client() -> None:
            found = client.search_issues("linear", "acme-web", query_text="Clerk auth", limit=10)
            if not found.candidates:
                raise RuntimeError("the client found nothing for 'Clerk auth'")

        def raw_json() -> None:
            response = raw_http.post(SEARCH_PATH, content=content, headers=headers)
            if response.status_code != 200 or not response.json()["candidates"]:
                raise RuntimeError(f"raw search answered {response.status_code}")

        def raw() -> None:
            response = raw_http.post(SEARCH_PATH, content=content, headers=headers)
            if response.status_code != 200 or not response.content:
                raise RuntimeError(f"raw search answered {response.status_code}")

        calls = {"client": via_client, "raw + json": raw_json, "raw": raw}
        for round_number in range(warmup + iterations):
            shift = round_number % len(VARIANTS)
            for name in VARIANTS[shift:] + VARIANTS[:shift]:
                began = time.perf_counter()
                calls[name]()
                elapsed = time.perf_counter() - began
                if round_number >= warmup:
                    seconds[name].append(elapsed)
    return OverheadTimes(
        {name: tuple(values) for name, values in seconds.items()}, iterations, server
    )


def section(times: OverheadTimes, *, pinning: str) -> Section:
    """Benchmark 3's table."""
    ours = times.seconds["client"]
    result = Section(
        title="3. Client overhead: search_issues vs a raw httpx request",
        columns=(
            "variant",
            "calls",
            "p50 ms",
            "p99 ms",
            "client / this, p50",
            "client / this, p99",
        ),
    )
    for name in VARIANTS:
        values = times.seconds[name]
        result.rows.append(
            (
                name,
                f"{len(values):,}",
                fmt(median(values) * 1000, 3),
                fmt(percentile(values, 99) * 1000, 3),
                fmt(ratio(median(ours), median(values)), 3),
                fmt(ratio(percentile(ours, 99), percentile(values, 99)), 3),
            )
        )
    for reference in ("raw + json", "raw"):
        mine, ref = median(ours) * 1000, median(times.seconds[reference]) * 1000
        value = ratio(mine, ref)
        result.checks.append(
            Check(
                figure=f"client p50: {fmt(mine, 3)} ms",
                reference=f"{reference} p50: {fmt(ref, 3)} ms",
                ratio=value,
                target=f"≤ {TARGET}",
                passed=at_most(value, TARGET),
            )
        )
    result.settings = [
        f"server: {times.server}",
        f"{times.iterations:,} interleaved rounds (each variant once per round, rotating order) "
        "after 50 warm-up rounds; one keep-alive httpx.Client per side",
        "body: linear / acme-web, query_text 'Clerk auth', limit 10 (same JSON both sides)",
        f"this process: {pinning}",
    ]
    return result
