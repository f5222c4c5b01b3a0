"""The PostgreSQL watchdog: a call past its time is cut only when the server is hung (a fresh
connection cannot reach it either); a long call on a live server runs to its end."""

from __future__ import annotations

import time

import psycopg
import pytest
from kitty_mock_saas.store.watchdog import Watchdog


def _sleep_on(url: str, watchdog: Watchdog, seconds: float, *, deadline: float) -> float:
    with psycopg.connect(url, autocommit=True) as conn:
        started = time.monotonic()
        with watchdog.watching(conn, url, deadline):
            conn.execute("SELECT pg_sleep(%s)", (seconds,))
        return time.monotonic() - started


def test_a_late_call_on_a_hung_server_is_cut_at_once(postgres_url: str) -> None:
    probed: list[str] = []

    def hung(url: str) -> bool:
        probed.append(url)
        return False

    started = time.monotonic()
    with pytest.raises(psycopg.OperationalError):
        _sleep_on(postgres_url, Watchdog(probe=hung), 30, deadline=0.2)
    assert time.monotonic() - started < 10  # not the 30 s the statement would have taken
    assert probed == [postgres_url]


def test_a_late_call_on_a_live_server_runs_to_its_end(postgres_url: str) -> None:
    probed: list[str] = []

    def live(url: str) -> bool:
        probed.append(url)
        return True

    took = _sleep_on(postgres_url, Watchdog(probe=live), 1.0, deadline=0.2)
    assert took >= 1.0
    assert probed  # it was looked at, and left alone


def test_the_real_probe_tells_a_live_server(postgres_url: str) -> None:
    took = _sleep_on(postgres_url, Watchdog(), 0.5, deadline=0.1)
    assert took >= 0.5
