"""Smoke test of `python -m bench.sandbox_worlds`: tiny counts, the shape of its report only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import sandbox_worlds


def test_the_sandbox_worlds_bench_reports_both_ways_and_the_read_ratios(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        sandbox_worlds.main(["--tickets", "300", "--sandboxes", "2", "--dir", str(tmp_path)]) == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"world: 300 tickets, [\d.]+ MB", lines[0])
    for way, line in zip(("copy", "overlay"), lines[1:3], strict=True):
        assert re.fullmatch(
            rf"{way}: first edit median \d+ ms, [\d,]+ KB per sandbox on disk", line
        )
    assert [line.split(":")[0] for line in lines[3:]] == [
        "ticket by key",
        "page of 50 tickets",
        "free-text search",
    ]
