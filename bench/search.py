"""Issue search under load: ours vs Prism vs the bare ceiling, and ours across corpus sizes.

Corpora are state files of the mock (`kitty-mock-saas serve --state ... --corpus N`) cached under
`bench/.cache/`, generated once in a child process and renamed into place only when complete.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from .report import Check, Section, at_least, fmt, ratio
from .wrk import LoadResult, Request

SEARCH_PATH = "/api/v1/tracker/issue-search/"
HEADERS = {"Authorization": "Bearer tok-alice", "X-Team-Slug": "acme"}
GENERATE_TIMEOUT_S = 1800.0

TEXT = "free text"
KEY = "exact key"
CORPUS_TEXT = "free text, corpus words"
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
}
HEAD_TO_HEAD = (TEXT, KEY)

_GENERATE = """
import sys
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings
create_app(MockSettings(state_path=sys.argv[1], corpus=int(sys.argv[2])))
"""


def ensure_corpus(cache: Path, size: int) -> Path:
    """The cached state file holding `size` synthetic tickets (generated when missing)."""
    state = cache / f"corpus-{size}.db"
    ready = cache / f"corpus-{size}.ready"
    if ready.is_file() and state.is_file() and Path(f"{state}.world").is_file():
        return state
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f"partial-{size}.db"
    for path in (partial, Path(f"{partial}.world"), state, Path(f"{state}.world")):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    print(f"bench: generating a {size:,}-ticket corpus (cached in {cache})", file=sys.stderr)
    subprocess.run(
        [sys.executable, "-c", _GENERATE, str(partial), str(size)],
        check=True,
        timeout=GENERATE_TIMEOUT_S,
    )
    Path(f"{partial}.world").rename(f"{state}.world")
    partial.rename(state)
    ready.write_text(f"{size}\n", encoding="utf-8")
    return state


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
    return len(response.content)


@dataclass
class SearchResults:
    """Every load result of one run, keyed by server label and query."""

    ours: dict[tuple[int, str], LoadResult]
    prism: dict[str, LoadResult]
    ceiling: LoadResult | None
    body_bytes: dict[str, int]
    primary_size: int


def _row(server: str, query: str, result: LoadResult, body: int | None) -> tuple[str, ...]:
    return (
        server,
        query,
        fmt(result.rps),
        fmt(result.p50_ms),
        fmt(result.p99_ms),
        str(result.errors),
        "" if body is None else str(body),
    )


def head_to_head(results: SearchResults, *, settings: list[str], notes: list[str]) -> Section:
    """Benchmark 1's table: ours (primary corpus) vs Prism vs the ceiling."""
    size = results.primary_size
    section = Section(
        title=f"1. Issue search over {size:,} tickets: ours vs Prism vs the bare ceiling",
        columns=("server", "query", "req/s", "p50 ms", "p99 ms", "errors", "body bytes"),
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
    section.settings = settings
    section.notes = notes
    return section


def scaling(results: SearchResults, sizes: list[int], *, settings: list[str]) -> Section:
    """Benchmark 2's table: throughput per corpus size and the largest/smallest ratio."""
    section = Section(
        title="2. Search scaling with the corpus size",
        columns=("tickets", "query", "req/s", "p50 ms", "p99 ms", "errors"),
    )
    for size in sizes:
        for query in QUERIES:
            result = results.ours.get((size, query))
            if result is not None:
                section.rows.append(_row(f"{size:,}", query, result, None)[:6])
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
    section.settings = settings
    return section
