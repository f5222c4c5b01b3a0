"""The tracker world's database stuck or out of reach is the mock's own database failing: the
contract's 503 with `effect_certainty: no_effect` within the client's deadline (never a
provider error), and the next request is answered again."""

from __future__ import annotations

import time
from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings

from bench.throwaway_postgres import ThrowawayPostgres

from .conftest import ALICE, SEARCH

# The client's search deadline (10 s) with room to spare: the statement timeout is 3 s.
DEADLINE_S = 8.0


@pytest.fixture
def served(postgres_server: ThrowawayPostgres) -> Iterator[tuple[TestClient, str]]:
    with (
        postgres_server.database() as url,
        TestClient(create_app(MockSettings(database_url=url))) as client,
    ):
        yield client, url


# (provider, project, words of a ticket of its container): the answer reads its tickets.
TRACKERS = [
    ("linear", "acme-web", "Clerk auth"),
    ("jira", "acme-iam", "signing keys"),
    ("github", "acme-web", "dark mode"),
]


@pytest.mark.parametrize(("provider", "project", "text"), TRACKERS)
def test_a_stuck_world_answers_503_no_effect_in_time(
    served: tuple[TestClient, str], provider: str, project: str, text: str
) -> None:
    client, url = served
    body = {"provider": provider, "project_slug": project, "query_text": text}
    assert client.post(SEARCH, json=body, headers=ALICE).json()["candidates"]
    # Another question than the one just answered (an answer may be remembered until the world
    # changes), so this one must read the locked tickets.
    other = {**body, "query_text": text.split()[0]}
    with psycopg.connect(url, options="-c search_path=kitty_world") as holder:
        holder.execute("LOCK TABLE tickets IN ACCESS EXCLUSIVE MODE")  # until the block ends
        started = time.monotonic()
        stuck = client.post(SEARCH, json=other, headers=ALICE)
        took = time.monotonic() - started
    assert stuck.status_code == 503, stuck.text
    assert stuck.json()["effect_certainty"] == "no_effect"
    assert took < DEADLINE_S
    assert client.post(SEARCH, json=other, headers=ALICE).json()["candidates"]
