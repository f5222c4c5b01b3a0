"""A PostgreSQL world's `text_changes` log is trimmed, and no replica misses an edit for it: one
whose index fell behind the trim rebuilds it from the tickets and answers as the others do.
Two `TrackerWorld`s on one database are two replicas; each catches up only when it searches or
writes, so one that does neither falls behind."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest
from fastapi.testclient import TestClient
from kitty_contracts import Provider
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings
from kitty_mock_saas.tracker_fakes.world import TicketChanges, TrackerWorld, seed_default_world
from kitty_mock_saas.tracker_fakes.world.seed import ACME_IAM, ACME_WEB_TEAM
from kitty_mock_saas.tracker_fakes.world.store import TextLogRetention

J, L = Provider.jira, Provider.linear
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
# (provider, container, text, account): the words the writes below put in and take out.
QUERIES = [
    (L, ACME_WEB_TEAM.id, "Clerk auth", "lin-alice"),
    (L, ACME_WEB_TEAM.id, "zephyr", "lin-alice"),
    (L, ACME_WEB_TEAM.id, "zephyr", "lin-bob"),
    (L, ACME_WEB_TEAM.id, "billing export", "lin-alice"),
    (J, ACME_IAM.id, "rotate signing keys", "acc-alice"),
    (J, ACME_IAM.id, "sign*", "acc-alice"),
]


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def answers(world: TrackerWorld) -> list[tuple[Any, ...]]:
    """Every match of each query and the total. As sets: two indexes with different histories
    (one rebuilt, as after a restart) may order equally good hits differently."""
    found = []
    for provider, container, text, account in QUERIES:
        hits = world.search(provider, container, text, account_id=account, limit=100)
        assert hits.total < 100
        found.append((text, account, sorted(t.key for t in hits.tickets), hits.total))
    return found


def log_size(world: TrackerWorld) -> int:
    return int(world._rows("SELECT count(*) FROM text_changes")[0][0])


def newest_entry(world: TrackerWorld) -> int:
    return int(world._rows("SELECT max(seq) FROM text_changes")[0][0])


def retitle(world: TrackerWorld, n: int) -> None:
    """One write that logs one entry."""
    world.edit_ticket(L, "WEB-123", TicketChanges.of(title=f"Zephyr {n}"))


def edits(world: TrackerWorld, round_: int) -> None:
    """Title edits, a deletion, a restriction, created tickets: each logs an entry."""
    world.edit_ticket(L, "WEB-123", TicketChanges.of(title=f"Zephyr billing export {round_}"))
    world.edit_ticket(J, "IAM-42", TicketChanges.of(deleted=round_ % 2 == 0))
    world.edit_ticket(L, "WEB-127", TicketChanges.of(restricted_to=("lin-bob",), title="Zephyr"))
    world.create_ticket(L, "WEB", title=f"Zephyr {round_}", body_markdown=None, author="lin-bob")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def open_replica(postgres_url: str, clock: Clock) -> Iterator[Any]:
    opened: list[TrackerWorld] = []

    def open_(retention: TextLogRetention) -> TrackerWorld:
        world = TrackerWorld(postgres_url, clock=clock, text_log=retention)
        opened.append(world)
        return world

    yield open_
    for world in opened:
        world.close()


def test_a_replica_behind_the_trimmed_log_rebuilds_its_index_and_misses_no_edit(
    open_replica: Any,
) -> None:
    retention = TextLogRetention(keep=2, min_age_seconds=0)
    writer = open_replica(retention)
    seed_default_world(writer)
    behind = open_replica(retention)
    assert answers(behind) == answers(writer)
    applied = behind._text.changes_through()
    for round_ in range(4):
        edits(writer, round_)
    writer.revert_edits()  # logs every written ticket again
    edits(writer, 5)
    # The writer trimmed the log past what the idle replica applied: its entries are gone.
    assert log_size(writer) <= retention.keep
    with writer._store.read() as db:
        assert writer._shared_log is not None
        assert writer._shared_log.trimmed_through(db) > applied
    expected = answers(writer)
    assert [keys for _, _, keys, _ in expected] != [[] for _ in QUERIES]
    assert answers(behind) == expected
    # From then on it follows the log again, without a rebuild while it keeps up.
    index = behind._text
    for n in range(3):
        retitle(writer, n)
        assert answers(behind) == answers(writer)
    assert behind._text is index


def test_the_log_keeps_its_newest_entries_and_young_ones(open_replica: Any, clock: Clock) -> None:
    world = open_replica(TextLogRetention(keep=1, min_age_seconds=600))
    seed_default_world(world)
    for n in range(5):
        retitle(world, n)
    logged = log_size(world)
    assert logged >= 5  # nothing is old yet
    clock.now += timedelta(seconds=601)
    retitle(world, 5)  # the newest entry is noted: 600 s from now it may go
    candidate = newest_entry(world)
    assert log_size(world) == logged + 1
    clock.now += timedelta(seconds=599)
    retitle(world, 6)
    assert log_size(world) == logged + 2  # the candidate is not old enough yet
    clock.now += timedelta(seconds=301)
    retitle(world, 7)
    # Up to the candidate went; the entry logged after it stays, young, beyond the newest one.
    assert world._rows("SELECT min(seq), count(*) FROM text_changes")[0] == (candidate + 1, 2)


def test_a_long_log_goes_a_batch_per_write(open_replica: Any, clock: Clock) -> None:
    world = open_replica(TextLogRetention(keep=0, min_age_seconds=600, batch=4))
    seed_default_world(world)
    for n in range(10):
        retitle(world, n)
    clock.now += timedelta(seconds=601)
    retitle(world, 10)  # notes the candidate
    candidate = newest_entry(world)
    clock.now += timedelta(seconds=601)
    retitle(world, 11)
    sizes = [log_size(world)]
    while sizes[-1] > 1:
        # Each trim's write moves the world's version: the next search catches up, and trims.
        world.search(L, ACME_WEB_TEAM.id, "zephyr", account_id="lin-alice", limit=1)
        sizes.append(log_size(world))
        assert len(sizes) < 10
    assert [a - b for a, b in pairwise(sizes)][:-1] == [4] * (len(sizes) - 2)
    assert world._rows("SELECT min(seq) FROM text_changes")[0][0] == candidate + 1


def test_a_replica_opened_after_the_log_was_trimmed_answers_alike(open_replica: Any) -> None:
    retention = TextLogRetention(keep=0, min_age_seconds=0)
    writer = open_replica(retention)
    seed_default_world(writer)
    for round_ in range(3):
        edits(writer, round_)
    writer.search(L, ACME_WEB_TEAM.id, "zephyr", account_id="lin-alice", limit=1)
    late = open_replica(retention)
    assert answers(late) == answers(writer)
    # Its index starts at the trimmed-through mark, so the next entry is no hole.
    index = late._text
    retitle(writer, 3)
    assert answers(late) == answers(writer)
    assert late._text is index


def test_serve_settings_reach_the_world(postgres_url: str) -> None:
    env = {"KITTY_MOCK_TEXT_LOG_KEEP": "5", "KITTY_MOCK_TEXT_LOG_MIN_AGE_SECONDS": "60"}
    settings = MockSettings.from_env(env, database_url=postgres_url)
    assert MockSettings.from_env(settings.to_env()).text_log_keep == 5  # to worker processes
    with TestClient(create_app(settings)) as client:
        world = client.app.state.runtime.trackers.world  # type: ignore[attr-defined]
        assert world._shared_log.retention == TextLogRetention(keep=5, min_age_seconds=60)
