"""Smoke test of `python -m bench.postgres_ab --writes`: the store's write path under an earlier
commit's package and the working tree's, the shape of its table only (no timing checks)."""

from __future__ import annotations

import pytest

from bench import postgres_ab
from bench.throwaway_postgres import PostgresNotFound, find_binaries
from tests.postgres_server import postgres_unavailable

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_the_write_ab_measures_an_earlier_commit_and_the_working_tree() -> None:
    try:
        find_binaries()
    except PostgresNotFound as missing:
        postgres_unavailable(missing)
    results = postgres_ab.measure_writes(["HEAD"], writes=20, repeats=1)
    assert set(results) == {"HEAD", postgres_ab.WORKING_TREE}
    for measured in results.values():
        assert measured["wall"] > 0
        assert measured["cpu"] >= 0
    section = postgres_ab.writes_section(["HEAD"], results, 20)
    assert [row[0] for row in section.rows] == ["HEAD", postgres_ab.WORKING_TREE]
    assert all(len(row) == len(section.columns) for row in section.rows)
    assert section.rows[0][4:6] == ("1.00", "1.00")  # the earlier commit is the reference
