"""Smoke test of the benchmark harness: its cheap in-process parts, tiny counts, no timing checks.

The full run (`python -m bench.run`) needs wrk, Prism and minutes; here only the shape of what it
produces is checked.
"""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings

from bench import client_overhead, corpus, flow, outbox, run, search
from bench.report import Section, render
from bench.wrk import Request, RunResult, summarize, write_script

TINY_OUTBOX = outbox.OutboxSettings(
    events=5,
    prefill=20,
    live_events=3,
    upstream_events=3,
    upstream_live_events=2,
    upstream_prefilled_events=3,
)


def _summary_rows(document: str) -> list[list[str]]:
    block = document.split("## Summary", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in block.splitlines() if line.startswith("| ")][1:]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows]


def test_flow_and_outbox_produce_a_well_formed_results_document(tmp_path: Path) -> None:
    plan = dataclasses.replace(
        run.QUICK, only=("flow", "outbox"), upstream=False, flow_iterations=3, outbox=TINY_OUTBOX
    )
    sections = run.run(plan)
    assert [s.title[:2] for s in sections] == ["4.", "5."]
    document = render(sections, command="python -m bench.run", mode="smoke", machine=["test"])
    rows = _summary_rows(document)
    assert len(rows) == sum(len(s.checks) for s in sections) == 6
    for row in rows:
        assert len(row) == 6
        assert row[5] in {"**pass**", "**FAIL**", "not measured"}
    # Without spec-kitty-cli the ratios against it are unmeasured, never invented.
    assert [r[5] for r in rows if "spec-kitty-cli" in r[2]] == ["not measured"] * 2
    assert "spec-kitty-cli 3.2.7 not measured" in document
    flow_section = sections[0]
    assert [row[0] for row in flow_section.rows][-1] == "whole flow"
    assert all(not math.isnan(c.ratio) for c in flow_section.checks)


def test_client_overhead_measures_every_variant_in_process() -> None:
    def make_http() -> httpx.Client:
        return TestClient(create_app(MockSettings()))

    times = client_overhead.measure(make_http, "http://testserver", 4, warmup=1, server="test")
    assert {name: len(values) for name, values in times.seconds.items()} == {
        "client": 4,
        "raw + json": 4,
        "raw": 4,
    }
    section = client_overhead.section(times, pinning="not pinned")
    assert isinstance(section, Section)
    assert [c.target for c in section.checks] == ["≤ 1.15", "≤ 1.15"]
    assert all(c.ratio > 0 for c in section.checks)


def test_wrk_script_posts_the_body_and_headers(tmp_path: Path) -> None:
    request = Request("/x", {"query_text": "Clerk auth"}, {"X-Team-Slug": "acme"})
    script = write_script(request, tmp_path, "text").read_text(encoding="utf-8")
    assert 'wrk.method = "POST"' in script
    assert 'wrk.body = [[{"query_text":"Clerk auth"}]]' in script
    assert 'wrk.headers["X-Team-Slug"] = "acme"' in script
    assert re.search(r"done = function\(summary, latency, requests\)", script)
    with pytest.raises(ValueError, match=r"\]\]"):
        write_script(Request("/x", {"q": "a]]b"}, {}), tmp_path, "bad")


def test_flow_section_reports_the_ratio_to_the_spec_limit() -> None:
    times = flow.FlowTimes(total=(0.01, 0.02, 0.03), search=(0.005,) * 3, start=(0.01,) * 3)
    section = flow.section(times)
    spec = section.checks[0]
    assert spec.reference == "the spec's limit: 30 s"
    assert spec.ratio == pytest.approx(0.03 / 30)
    assert spec.passed is True


def test_a_mix_script_sends_every_body_in_turn(tmp_path: Path) -> None:
    bodies: tuple[dict[str, object], ...] = ({"query_text": "b"}, {"query_text": "c"})
    request = Request("/x", {"query_text": "a"}, {}, mix=bodies)
    script = write_script(request, tmp_path, "mix").read_text(encoding="utf-8")
    assert 'wrk.body = [[{"query_text":"a"}]]' in script
    assert '[[{"query_text":"b"}]],' in script
    assert '[[{"query_text":"c"}]],' in script
    assert "return wrk.format(nil, nil, nil, bodies[next_body])" in script


def test_the_distinct_mix_is_hundreds_of_different_corpus_queries() -> None:
    texts = search.mix_texts()
    assert len(texts) == len(set(texts)) == search.MIX_SIZE >= 200
    assert texts == search.mix_texts()  # deterministic
    request = search.QUERIES[search.MIX]
    bodies = (request.body, *request.mix)
    assert len({(b["provider"], b["query_text"]) for b in bodies}) == search.MIX_SIZE
    assert {b["provider"] for b in bodies} == {"linear", "jira", "github"}
    assert len(search.mix_searches()) == search.MIX_SIZE


def test_corpus_section_reports_every_size_and_the_engine_aim() -> None:
    facts = [
        corpus.CorpusFacts(n, f"/tmp/corpus-{n}.db", 1.0, 0.5, 90.0, 10.0, 2.0)
        for n in (1_000, 10_000)
    ]
    latencies = {1_000: [0.0002] * 100, 10_000: [0.0003] * 98 + [0.004] * 2}
    section = corpus.section(facts, latencies, {1_000: 80.0}, mix_size=300)
    assert [row[0] for row in section.rows] == ["1,000", "10,000"]
    assert section.rows[1][6] == "n/a"  # no RSS measured for that size
    assert section.rows[1][8] == "4.000"
    (check,) = section.checks
    assert check.ratio == pytest.approx(4.0 / 50)
    assert check.passed is True


def test_load_results_carry_server_cpu_per_request() -> None:
    runs = (
        RunResult(requests=1_000, rps=100.0, p50_ms=1.0, p99_ms=2.0, errors=0, server_cpu_s=0.5),
        RunResult(requests=2_000, rps=200.0, p50_ms=1.0, p99_ms=2.0, errors=0, server_cpu_s=2.0),
        RunResult(requests=1_000, rps=100.0, p50_ms=1.0, p99_ms=2.0, errors=0, server_cpu_s=0.7),
    )
    result = summarize(runs)
    assert result.cpu_ms_per_request == pytest.approx(0.7)
    assert result.rps_per_cpu == pytest.approx(1000 / 0.7)
    unmeasured = summarize((RunResult(10, 1.0, 1.0, 1.0, 0),))
    assert math.isnan(unmeasured.rps_per_cpu)
