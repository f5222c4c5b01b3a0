"""A PostgreSQL store's write transaction: the store's lock taken before its first statement
(across stores on one schema, as across replicas), nothing left behind by a write that failed,
and `effect_unknown` only for a commit cut on its way, not for one the server refused."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from kitty_mock_saas.store import StoreUnavailable
from kitty_mock_saas.store.postgres import PostgresStore

SCHEMA = "kitty_writes"
BOUND_S = 30.0  # the longest any wait for the other thread may take


def with_marks(url: str, *, statement_timeout: float | None = None) -> PostgresStore:
    store = PostgresStore(url, schema=SCHEMA, statement_timeout=statement_timeout)
    with store.write() as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS marks (mark INTEGER)")
    return store


def marks(store: PostgresStore) -> list[int]:
    with store.read() as conn:
        return [row[0] for row in conn.execute("SELECT mark FROM marks ORDER BY mark")]


def test_a_write_holds_the_store_lock_from_before_its_first_statement(postgres_url: str) -> None:
    one, other = with_marks(postgres_url), with_marks(postgres_url)  # two replicas' stores
    holding, release = threading.Event(), threading.Event()
    seen: list[list[int]] = []

    def first() -> None:
        with one.write() as conn:
            conn.execute("INSERT INTO marks VALUES (1)")
            holding.set()
            release.wait(BOUND_S)

    def second() -> None:
        with other.write() as conn:
            # Read first thing: with the lock taken before it, this sees the other's commit.
            seen.append([row[0] for row in conn.execute("SELECT mark FROM marks")])
            conn.execute("INSERT INTO marks VALUES (2)")

    writer = threading.Thread(target=first)
    writer.start()
    assert holding.wait(BOUND_S)
    follower = threading.Thread(target=second)
    follower.start()
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        deadline = time.monotonic() + BOUND_S
        while time.monotonic() < deadline:  # until the second write waits for the lock
            waiting = admin.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()
            if waiting is not None and waiting[0] > 0:
                break
            time.sleep(0.02)
    release.set()
    writer.join(BOUND_S)
    follower.join(BOUND_S)
    assert seen == [[1]]
    assert marks(one) == [1, 2]
    one.close()
    other.close()


def test_a_write_that_raises_leaves_nothing_and_the_next_one_commits(postgres_url: str) -> None:
    store = with_marks(postgres_url)
    version = store.data_version(fresh=True)

    def refused() -> None:
        with store.write() as conn:
            conn.execute("INSERT INTO marks VALUES (1)")
            raise LookupError("the block's own refusal")

    with pytest.raises(LookupError):
        refused()
    with store.write() as conn:
        conn.execute("INSERT INTO marks VALUES (2)")
    assert marks(store) == [2]
    assert store.data_version(fresh=True) == version + 1  # the refused write bumped nothing
    store.close()


def test_a_commit_the_server_refused_is_no_effect_not_unknown(postgres_url: str) -> None:
    store = with_marks(postgres_url, statement_timeout=0.5)
    with psycopg.connect(postgres_url) as blocker:
        # The version row held by another transaction: the bump sent with the COMMIT waits
        # for it until the server's statement timeout ends the transaction.
        blocker.execute(f"SELECT version FROM {SCHEMA}.store_version FOR UPDATE")
        with pytest.raises(StoreUnavailable) as refused, store.write() as conn:
            conn.execute("INSERT INTO marks VALUES (1)")
        blocker.rollback()
    assert not refused.value.effect_unknown
    assert marks(store) == []
    with store.write() as conn:
        conn.execute("INSERT INTO marks VALUES (2)")
    assert marks(store) == [2]
    store.close()
