"""A PostgreSQL store's own deadline: a call on a server that hangs (its processes stopped) ends
with `StoreUnavailable` and its connection discarded, the store answers again by itself once
the server resumes, and a statement the server is still working on is not cut by it."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest
from kitty_mock_saas.store import StoreUnavailable
from kitty_mock_saas.store.postgres import PostgresStore

from bench.throwaway_postgres import ThrowawayPostgres
from tests.postgres_server import frozen

# Far above what a call may take on a hung server (its stall timeout plus a connect timeout):
# only a call that waits for the server to resume meets it.
HANG_BOUND_S = 60.0


@pytest.fixture(scope="module")
def own_server(postgres_server: ThrowawayPostgres) -> Iterator[ThrowawayPostgres]:
    """A server of this module's own to freeze: others keep connections to the shared one."""
    with ThrowawayPostgres(postgres_server.binaries) as server:
        yield server


def test_a_statement_the_server_is_working_on_outlives_the_stall_timeout(
    postgres_url: str,
) -> None:
    store = PostgresStore(postgres_url, schema="kitty_slow", stall_timeout=0.2)
    try:
        with store.read() as conn:
            row = conn.execute("SELECT 7 AS seven FROM pg_sleep(1.5)").fetchone()
        assert row["seven"] == 7
    finally:
        store.close()


def test_calls_on_a_hung_server_end_with_store_unavailable_and_the_store_recovers(
    own_server: ThrowawayPostgres,
) -> None:
    url = own_server.create_database()
    now = [0.0]
    store = PostgresStore(url, schema="kitty_hung", stall_timeout=0.5, clock=lambda: now[0])
    with store.write() as conn:
        conn.execute("CREATE TABLE marks (mark INTEGER)")
    with store.read() as conn:  # the reading connection is open too
        conn.execute("SELECT count(*) FROM marks").fetchone()

    def insert(mark: int) -> None:
        with store.write() as conn:
            conn.execute("INSERT INTO marks VALUES (?)", (mark,))

    def count() -> int:
        with store.read() as conn:
            return int(conn.execute("SELECT count(*) FROM marks").fetchone()[0])

    # The server resumes before the pool waits for its threads: a call that waits for the
    # server fails the test instead of hanging it.
    with ThreadPoolExecutor(3) as pool, frozen(own_server):
        # Two writers (one waits for the other in this process) and a reader, all on open
        # connections to a server that answers nothing.
        calls: list[Future[Any]] = [
            pool.submit(insert, 1),
            pool.submit(insert, 2),
            pool.submit(count),
        ]
        for call in calls:
            error = call.exception(timeout=HANG_BOUND_S)
            assert isinstance(error, StoreUnavailable), error
            assert not error.effect_unknown  # no commit was sent
    now[0] += 60.0  # past the pause after a failed connect

    assert count() == 0  # back by itself, and no refused write was stored
    insert(3)
    assert count() == 1
    store.close()
    own_server.drop_database(url.rsplit("/", 1)[1])
