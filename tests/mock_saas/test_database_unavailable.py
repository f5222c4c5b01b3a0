"""PostgreSQL out of reach: the contract's 503 with `effect_certainty: no_effect`, nothing
half-written, and the mock back by itself once the database is."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings
from kitty_mock_saas.store import StoreUnavailable
from kitty_mock_saas.store.postgres import PostgresStore

from bench.throwaway_postgres import ThrowawayPostgres
from tests.mock_saas.conftest import ADMIN, ALICE, BIND, SEARCH, bind_body
from tests.mock_saas.test_auth_and_errors import assert_envelope

QUERY = {"provider": "linear", "project_slug": "acme-web", "query_text": "Clerk auth"}


@contextmanager
def database_down(server: ThrowawayPostgres, database_url: str) -> Iterator[None]:
    """No connection to the database is allowed, and the open ones are cut."""
    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(server.url(), autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        try:
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def after_retry(send: Callable[[], httpx.Response]) -> httpx.Response:
    """`send()` again as a client does while it answers 503 (`Retry-After: 1`), for at most
    five seconds: a store waits that long after a failed connect before it tries again."""
    answer = send()
    for _ in range(50):
        if answer.status_code != 503:
            break
        time.sleep(0.1)
        answer = send()
    return answer


@pytest.fixture
def on_postgres(postgres_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(MockSettings(database_url=postgres_url))) as client:
        yield client


def test_requests_answer_503_no_effect_while_the_database_is_down_then_recover(
    on_postgres: TestClient, postgres_server: ThrowawayPostgres, postgres_url: str
) -> None:
    mock = on_postgres
    assert mock.post(SEARCH, json=QUERY, headers=ALICE).status_code == 200
    with database_down(postgres_server, postgres_url):
        for method, path, body in (
            ("POST", SEARCH, QUERY),
            ("POST", BIND, bind_body()),
            ("GET", "/__admin/origin-links", None),
        ):
            headers = ADMIN if path.startswith("/__admin") else ALICE
            answer = mock.request(method, path, json=body, headers=headers)
            envelope = assert_envelope(answer, 503, "service_unavailable")
            assert envelope["effect_certainty"] == "no_effect"
            assert envelope["retryable"] is True
            assert answer.headers["Retry-After"] == "1"
    # Back without a restart; the bind refused during the outage left nothing behind.
    links = after_retry(lambda: mock.get("/__admin/origin-links", headers=ADMIN))
    assert links.json()["origin_links"] == []
    assert mock.post(BIND, json=bind_body(), headers=ALICE).status_code == 200
    assert len(mock.get("/__admin/origin-links", headers=ADMIN).json()["origin_links"]) == 1


def test_health_says_whether_the_database_answers_for_a_load_balancer(
    on_postgres: TestClient, postgres_server: ThrowawayPostgres, postgres_url: str
) -> None:
    """A replica cut off from its database answers its health check 503 (the admin contract's
    `DatabaseUnavailable`), so a load balancer stops sending it requests; 200 once it is back."""
    health = on_postgres.get("/__admin/health")
    assert health.status_code == 200, health.text
    # A request just before keeps the answers from coming out of any memo.
    assert on_postgres.post(SEARCH, json=QUERY, headers=ALICE).status_code == 200
    with database_down(postgres_server, postgres_url):
        down = on_postgres.get("/__admin/health")
        envelope = assert_envelope(down, 503, "service_unavailable")
        assert envelope["effect_certainty"] == "no_effect"
        assert down.headers["Retry-After"] == "1"
    back = after_retry(lambda: on_postgres.get("/__admin/health"))
    assert back.status_code == 200, back.text
    assert back.json()["status"] == "ok"


def test_a_sandbox_request_while_the_database_is_down_is_a_503_too(
    on_postgres: TestClient, postgres_server: ThrowawayPostgres, postgres_url: str
) -> None:
    in_sandbox = {**ALICE, "X-Kitty-Sandbox": "ci-1"}
    with database_down(postgres_server, postgres_url):
        answer = on_postgres.get("/api/v1/me", headers=in_sandbox)
        assert assert_envelope(answer, 503, "service_unavailable")["effect_certainty"] == (
            "no_effect"
        )
    after = after_retry(lambda: on_postgres.get("/api/v1/me", headers=in_sandbox))
    assert after.status_code == 200, after.text


def test_a_mock_whose_database_is_unreachable_does_not_start(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kitty_mock_saas.cli import main

    # Nothing listens on port 9 of this host: refused at once, exit 4, the password not shown.
    code = main(["serve", "--port", "0", "--database", "postgresql://kitty:pw@127.0.0.1:9/x"])
    assert code == 4
    err = capsys.readouterr().err
    assert "unreachable" in err
    assert "pw" not in err


def test_after_a_failed_connect_a_store_fails_at_once_until_it_may_try_again(
    postgres_server: ThrowawayPostgres, postgres_url: str
) -> None:
    """Requests during an outage do not each wait for the connect timeout (a server that does
    not answer at all would hold every one of them): one try per `retry_after`."""
    now = [0.0]
    store = PostgresStore(postgres_url, schema="kitty_probe", clock=lambda: now[0])

    def read() -> int:
        with store.read() as conn:
            return int(conn.execute("SELECT 1").fetchone()[0])

    with database_down(postgres_server, postgres_url), pytest.raises(StoreUnavailable):
        read()
    with pytest.raises(StoreUnavailable, match="unreachable"):
        read()  # the server is back, but this store tries again only after `retry_after`
    now[0] += 1.0
    assert read() == 1
    store.close()


def test_stores_of_one_server_learn_of_a_lost_connection_from_each_other(
    postgres_server: ThrowawayPostgres, postgres_url: str
) -> None:
    """The state and the world (and each sandbox) are stores of one server: after a restart
    found by one of them, the others reopen their connections before use instead of each
    failing a request on a dead one; one failed connect holds all of them for `retry_after`."""
    now = [0.0]
    state = PostgresStore(postgres_url, schema="kitty_probe_a", clock=lambda: now[0])
    world = PostgresStore(postgres_url, schema="kitty_probe_b", clock=lambda: now[0])

    def read(store: PostgresStore) -> int:
        with store.read() as conn:
            return int(conn.execute("SELECT 1").fetchone()[0])

    assert read(state) == read(world) == 1
    with database_down(postgres_server, postgres_url):
        with pytest.raises(StoreUnavailable, match="connection failed"):
            read(state)  # its connection was cut: the loss is found here
        with pytest.raises(StoreUnavailable, match="unreachable"):
            read(world)  # reopens (the loss is known) and cannot connect
        with pytest.raises(StoreUnavailable, match="unreachable"):
            read(state)  # within the window one store's failed connect holds the other too
    now[0] += 1.0
    assert read(world) == 1
    assert read(state) == 1
    state.close()
    world.close()


def test_after_a_restart_only_the_store_that_found_it_fails_one_call(
    postgres_server: ThrowawayPostgres, postgres_url: str
) -> None:
    state = PostgresStore(postgres_url, schema="kitty_probe_a")
    world = PostgresStore(postgres_url, schema="kitty_probe_b")

    def read(store: PostgresStore) -> int:
        with store.read() as conn:
            return int(conn.execute("SELECT 1").fetchone()[0])

    assert read(state) == read(world) == 1
    postgres_server.restart()
    with pytest.raises(StoreUnavailable, match="connection failed"):
        read(state)
    assert read(world) == 1  # its idle connection was lost too, and reopened before use
    assert read(state) == 1
    state.close()
    world.close()
