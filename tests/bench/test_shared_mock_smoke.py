"""Smoke test of `python -m bench.shared_mock`: a few short runs, the shape of its table only
(wrk, a throwaway PostgreSQL and three servers; no timing checks)."""

from __future__ import annotations

import math

import pytest

from bench import shared_mock
from bench.throwaway_postgres import PostgresNotFound, find_binaries
from bench.wrk import LoadSettings
from tests.postgres_server import postgres_unavailable

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

TINY = LoadSettings(connections=4, threads=1, duration_s=1, repeats=1, warmup_s=0)


def test_the_shared_mock_bench_measures_every_request_on_every_setup() -> None:
    try:
        find_binaries()
    except PostgresNotFound as missing:
        postgres_unavailable(missing)
    results = shared_mock.measure(TINY, log=lambda _text: None)
    assert set(results) == {
        (setup, request) for setup in shared_mock.SETUPS for request in shared_mock.REQUESTS
    }
    for (setup, request), measured in results.items():
        assert measured.errors == 0, (setup, request)  # every bind created, every search 200
        assert measured.rps > 0
        assert measured.mock_cpu_ms > 0
        if setup == shared_mock.SQLITE:
            assert measured.database_cpu_ms == 0
        else:
            # PostgreSQL's own processes are counted: a bind writes through them.
            assert measured.database_cpu_ms > 0 or request != shared_mock.BIND
        assert not math.isnan(measured.per_cpu_second)
    section = shared_mock.section(results, TINY)
    assert len(section.rows) == 9
    assert all(len(row) == len(section.columns) for row in section.rows)
    assert [row[-1] for row in section.rows[::3]] == ["1.00"] * 3  # (a) is the reference
