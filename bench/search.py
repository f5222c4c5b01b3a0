"""Issue search under load: ours vs Prism vs the bare ceiling, and ours across corpus sizes.

Corpora (cached state files) are made by `corpus.py`. Besides three fixed queries, a distinct
mix of hundreds of queries over corpus words and three providers keeps any cache from deciding
the figures.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import httpx
from kitty_contracts import Provider
from kitty_mock_saas.tracker_fakes.world.corpus import CORPUS_VOCABULARY
from kitty_mock_saas.tracker_fakes.world.seed import ACME_IAM, ACME_WEB_REPO, ACME_WEB_TEAM

from .corpus import EngineSearch
from .report import Check, Section, at_least, at_most, fmt, ratio
from .wrk import LoadResult, Request

SEARCH_PATH = "/api/v1/tracker/issue-search/"
HEADERS = {"Authorization": "Bearer tok-alice", "X-Team-Slug": "acme"}
P99_AIM_MS = 50.0
MIX_SIZE = 300
MIX_SEED = 14

TEXT = "free text"
KEY = "exact key"
CORPUS_TEXT = "free text, corpus words"
MIX = "free text, distinct mix"
# (provider, project slug of the fixtures, the world's container, the account tok-alice maps to)
_MIX_TARGETS = (
    (Provider.linear, "acme-web", ACME_WEB_TEAM.id, "lin-alice"),
    (Provider.jira, "acme-iam", ACME_IAM.id, "acc-alice"),
    (Provider.github, "acme-web", ACME_WEB_REPO.id, "gh-alice"),
)


def mix_texts(size: int = MIX_SIZE, seed: int = MIX_SEED) -> list[str]:
    """`size` distinct query texts: every corpus word alone (from "a" to "billing"), then
    random pairs of them; deterministic."""
    words = sorted(CORPUS_VOCABULARY)
    texts = list(words[:size])
    seen = set(texts)
    rng = random.Random(seed)
    while len(texts) < size:
        text = f"{rng.choice(words)} {rng.choice(words)}"
        if text not in seen:
            seen.add(text)
            texts.append(text)
    return texts


def mix_searches() -> list[EngineSearch]:
    """The mix as world searches, for the in-process engine figures."""
    return [
        EngineSearch(provider, container, account, text)
        for index, text in enumerate(mix_texts())
        for provider, _slug, container, account in [_MIX_TARGETS[index % len(_MIX_TARGETS)]]
    ]


def _mix_bodies() -> tuple[dict[str, object], ...]:
    return tuple(
        {"provider": provider.value, "project_slug": slug, "query_text": text}
        for index, text in enumerate(mix_texts())
        for provider, slug, _container, _account in [_MIX_TARGETS[index % len(_MIX_TARGETS)]]
    )


_BODIES = _mix_bodies()
QUERIES: dict[str, Request] = {
    # The contract's named example; the corpus vocabulary avoids its words, so few rows match.
    TEXT: Request(
        SEARCH_PATH,
        {"provider": "linear", "project_slug": "acme-web", "query_text": "Clerk auth"},
        HEADERS,
    ),
    KEY: Request(
        SEARCH_PATH,
        {"provider": "jira", "project_slug": "acme-iam", "query_key": "IAM-42"},
        HEADERS,
    ),
    # Words of the synthetic corpus: the match set (and its bm25 ranking) grows with the corpus.
    CORPUS_TEXT: Request(
        SEARCH_PATH,
        {"provider": "linear", "project_slug": "acme-web", "query_text": "billing export"},
        HEADERS,
    ),
    # Hundreds of different queries in turn: corpus words on Linear, Jira and GitHub.
    MIX: Request(SEARCH_PATH, _BODIES[0], HEADERS, mix=_BODIES[1:]),
}
HEAD_TO_HEAD = (TEXT, KEY, MIX)
ONE_CLIENT = "one client"
ONE_CLIENT_QUERIES = (CORPUS_TEXT, MIX)


def check_answer(base_url: str, name: str, *, expect_match: bool) -> int:
    """One request before the load: 200 (and a candidate when `expect_match`); body size."""
    request = QUERIES[name]
    response = httpx.post(
        base_url + request.path, json=request.body, headers=request.headers, timeout=30.0
    )
    if response.status_code != 200:
        raise RuntimeError(f"{base_url}: {name} answered {response.status_code}: {response.text}")
    if expect_match and not response.json()["candidates"]:
        raise RuntimeError(f"{base_url}: {name} found no candidate")
    with httpx.Client(base_url=base_url, headers=request.headers, timeout=30.0) as client:
        for body in request.mix:  # a mix that answers errors would measure error pages
            status = client.post(request.path, json=body).status_code
            if status != 200:
                raise RuntimeError(f"{base_url}: {name} answered {status} to {body}")
    return len(response.content)


@dataclass
class SearchResults:
    """Every load result of one run, keyed by server label and query."""

    ours: dict[tuple[int, str], LoadResult]
    prism: dict[str, LoadResult]
    ceiling: LoadResult | None
    body_bytes: dict[str, int]
    primary_size: int
    one_client: dict[tuple[int, str], LoadResult] = field(default_factory=dict)
    """The `ONE_CLIENT_QUERIES` with a single connection: what one developer waits."""


def _row(server: str, query: str, result: LoadResult, body: int | None) -> tuple[str, ...]:
    return (
        server,
        query,
        fmt(result.rps),
        fmt(result.p50_ms),
        fmt(result.p99_ms),
        str(result.errors),
        fmt(result.cpu_ms_per_request, 3),
        "" if body is None else str(body),
    )


def _per_cpu(result: LoadResult) -> str:
    return f"{fmt(result.rps_per_cpu)} req per server CPU-s"


def _cpu_check(
    figure: str,
    ours: LoadResult,
    reference: str,
    other: LoadResult | None,
    *,
    target: str,
    bound: float,
) -> Check:
    """The same comparison on requests per second of server CPU, which other work on the
    shared machine does not move."""
    value = ratio(ours.rps_per_cpu, other.rps_per_cpu if other else float("nan"))
    return Check(
        figure=f"{figure}: {_per_cpu(ours)}",
        reference=f"{reference}: {_per_cpu(other)}" if other else f"{reference}: not measured",
        ratio=value,
        target=target,
        passed=at_least(value, bound),
    )


def head_to_head(results: SearchResults, *, settings: list[str], notes: list[str]) -> Section:
    """Benchmark 1's table: ours (primary corpus) vs Prism vs the ceiling."""
    size = results.primary_size
    section = Section(
        title=f"1. Issue search over {size:,} tickets: ours vs Prism vs the bare ceiling",
        columns=(
            "server",
            "query",
            "req/s",
            "p50 ms",
            "p99 ms",
            "errors",
            "server CPU ms/req",
            "body bytes",
        ),
    )
    for query in HEAD_TO_HEAD:
        section.rows.append(
            _row(
                f"kitty-mock-saas ({size:,} tickets)",
                query,
                results.ours[(size, query)],
                results.body_bytes.get(f"ours {query}"),
            )
        )
    for query, result in results.prism.items():
        section.rows.append(
            _row(
                "Prism 5.16 (static example)",
                query,
                result,
                results.body_bytes.get(f"prism {query}"),
            )
        )
    if results.ceiling is not None:
        section.rows.append(
            _row("bare ASGI ceiling", "any", results.ceiling, results.body_bytes.get("ceiling"))
        )
    nan = float("nan")
    for query in HEAD_TO_HEAD:
        ours = results.ours[(size, query)]
        prism = results.prism.get(query)
        versus_prism = ratio(ours.rps, prism.rps if prism else nan)
        section.checks.append(
            Check(
                figure=f"ours {query}: {fmt(ours.rps)} req/s (p99 {fmt(ours.p99_ms)} ms)",
                reference=(
                    f"Prism {query}: {fmt(prism.rps)} req/s (p99 {fmt(prism.p99_ms)} ms)"
                    if prism
                    else "Prism: not measured"
                ),
                ratio=versus_prism,
                target="≥ 1",
                passed=at_least(versus_prism, 1),
            )
        )
    for query in HEAD_TO_HEAD:
        ours = results.ours[(size, query)]
        ceiling = results.ceiling
        versus_ceiling = ratio(ours.rps, ceiling.rps if ceiling else nan)
        section.checks.append(
            Check(
                figure=f"ours {query}: {fmt(ours.rps)} req/s",
                reference=(
                    f"ceiling: {fmt(ceiling.rps)} req/s (p99 {fmt(ceiling.p99_ms)} ms)"
                    if ceiling
                    else "ceiling: not measured"
                ),
                ratio=versus_ceiling,
                target="≥ 0.1 (within 10x)",
                passed=at_least(versus_ceiling, 0.1),
            )
        )
    for query in HEAD_TO_HEAD:
        ours = results.ours[(size, query)]
        section.checks.append(
            _cpu_check(
                f"ours {query}",
                ours,
                f"Prism {query}",
                results.prism.get(query),
                target="≥ 1",
                bound=1,
            )
        )
        section.checks.append(
            _cpu_check(
                f"ours {query}",
                ours,
                "ceiling",
                results.ceiling,
                target="≥ 0.1 (within 10x)",
                bound=0.1,
            )
        )
    section.settings = settings
    section.notes = notes
    return section


def scaling(results: SearchResults, sizes: list[int], *, settings: list[str]) -> Section:
    """Benchmark 2's table: throughput per corpus size and the largest/smallest ratio."""
    section = Section(
        title="2. Search scaling with the corpus size",
        columns=("tickets", "query", "req/s", "p50 ms", "p99 ms", "errors", "server CPU ms/req"),
    )
    for size in sizes:
        for query in QUERIES:
            result = results.ours.get((size, query))
            if result is not None:
                section.rows.append(_row(f"{size:,}", query, result, None)[:7])
        for query in ONE_CLIENT_QUERIES:
            result = results.one_client.get((size, query))
            if result is not None:
                label = f"{query}, {ONE_CLIENT}"
                section.rows.append(_row(f"{size:,}", label, result, None)[:7])
    smallest, largest = min(sizes), max(sizes)
    for query in QUERIES:
        small = results.ours.get((smallest, query))
        large = results.ours.get((largest, query))
        if small is None or large is None:
            continue
        value = ratio(large.rps, small.rps)
        section.checks.append(
            Check(
                figure=f"{query} at {largest:,}: {fmt(large.rps)} req/s",
                reference=f"{query} at {smallest:,}: {fmt(small.rps)} req/s",
                ratio=value,
                target="≥ 0.5 (at most a 2x drop)",
                passed=at_least(value, 0.5),
            )
        )
        section.checks.append(
            _cpu_check(
                f"{query} at {largest:,}",
                large,
                f"{query} at {smallest:,}",
                small,
                target="≥ 0.5 (at most a 2x drop)",
                bound=0.5,
            )
        )
    for query in ONE_CLIENT_QUERIES:
        for label, measured in (("32 connections", results.ours), (ONE_CLIENT, results.one_client)):
            large = measured.get((largest, query))
            if large is None:
                continue
            value = ratio(large.p99_ms, P99_AIM_MS)
            section.checks.append(
                Check(
                    figure=f"{query} at {largest:,}, {label}: p99 {fmt(large.p99_ms)} ms",
                    reference=f"our aim: {P99_AIM_MS:g} ms",
                    ratio=value,
                    target="≤ 1",
                    passed=at_most(value, 1),
                )
            )
    section.settings = settings
    return section
