"""Free-text search of the tracker world (the tantivy text index): relevance, scoping, paging,
visibility, persistence and sharing one world between processes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from kitty_contracts import Provider, StatusCategory
from kitty_mock_saas.tracker_fakes import (
    FakeTicket,
    TrackerWorld,
    generate_corpus,
    seed_default_world,
)
from kitty_mock_saas.tracker_fakes.world import TicketChanges
from kitty_mock_saas.tracker_fakes.world.seed import ACME_API, ACME_IAM, ACME_OPS, ACME_WEB_TEAM

_WHEN = datetime(2026, 2, 1, tzinfo=UTC)


def _linear(number: int, title: str, body: str, **extra: object) -> FakeTicket:
    return FakeTicket(
        provider=Provider.linear,
        container_key=ACME_WEB_TEAM.key,
        container_id=ACME_WEB_TEAM.id,
        number=number,
        id=f"zz-{number}",
        key=f"WEB-{number}",
        title=title,
        body_markdown=body,
        status_name="Todo",
        status_category=StatusCategory.todo,
        created_at=_WHEN,
        updated_at=_WHEN,
        **extra,  # type: ignore[arg-type]
    )


def keys(world: TrackerWorld, text: str, container: str | None, **options: object) -> list[str]:
    provider = options.pop("provider", Provider.linear)
    account = options.pop("account", "lin-alice")
    hits = world.search(provider, container, text, account_id=account, limit=50, **options)  # type: ignore[arg-type]
    return [ticket.key for ticket in hits.tickets]


@pytest.fixture(scope="module")
def corpus_world(module_world_location: str) -> Iterator[TrackerWorld]:
    """The seeded world plus 30,000 synthetic tickets over every container."""
    with TrackerWorld(module_world_location) as world:
        seed_default_world(world)
        generate_corpus(world, 30_000, seed=11)
        yield world


def test_issue_14_named_examples_keep_their_order_in_a_large_world(
    corpus_world: TrackerWorld,
) -> None:
    web, iam = ACME_WEB_TEAM.id, ACME_IAM.id
    assert keys(corpus_world, "Clerk auth", web) == ["WEB-123", "WEB-127"]
    assert keys(corpus_world, "signing keys", iam, provider=Provider.jira, account="acc-alice") == [
        "IAM-42"
    ]
    assert keys(corpus_world, "sign*", iam, provider=Provider.jira, account="acc-alice")[:2] == [
        "IAM-42",
        "IAM-35",
    ]
    assert keys(corpus_world, "quantum teleportation", web) == []


def test_issue_14_title_outranks_body_and_short_beats_long(world_location: str) -> None:
    world = TrackerWorld(world_location)
    seed_default_world(world)
    world.add_tickets(
        [
            _linear(901, "Unrelated chores", "Mentions the zephyr once in the body."),
            _linear(902, "Zephyr rollout", "A body that says nothing more."),
            _linear(903, "Zephyr rollout for every region and every tenant we have", "Long."),
        ]
    )
    assert keys(world, "zephyr", ACME_WEB_TEAM.id) == ["WEB-902", "WEB-903", "WEB-901"]
    assert keys(world, "zephyr", ACME_WEB_TEAM.id, field="title") == ["WEB-902", "WEB-903"]


def test_issue_14_search_is_scoped_to_one_container_and_every_word(
    corpus_world: TrackerWorld,
) -> None:
    hits = corpus_world.search(
        Provider.linear, ACME_API.id, "billing export", account_id="lin-alice", limit=40
    )
    assert hits.total > 40
    assert {t.container_key for t in hits.tickets} == {"API"}
    assert all("billing export" in t.title.lower() for t in hits.tickets)
    both = corpus_world.search(
        Provider.linear, None, "billing export", account_id="lin-alice", limit=5
    )
    web = corpus_world.search(
        Provider.linear, ACME_WEB_TEAM.id, "billing export", account_id="lin-alice", limit=5
    )
    assert both.total == hits.total + web.total
    jira = corpus_world.search(
        Provider.jira, None, "billing export", account_id="acc-alice", limit=200
    )
    assert {t.container_key for t in jira.tickets} == {ACME_IAM.key, ACME_OPS.key}


def test_issue_14_pages_partition_the_ranking(corpus_world: TrackerWorld) -> None:
    def page(offset: int, limit: int) -> list[str]:
        hits = corpus_world.search(
            Provider.linear,
            ACME_WEB_TEAM.id,
            "timeout",
            account_id="lin-alice",
            limit=limit,
            offset=offset,
        )
        return [t.key for t in hits.tickets]

    whole = page(0, 60)
    assert len(whole) == 60
    assert page(0, 20) + page(20, 20) + page(40, 20) == whole
    assert len(set(whole)) == 60


def test_issue_14_restricted_tickets_stay_invisible_to_others(world_location: str) -> None:
    world = TrackerWorld(world_location)
    seed_default_world(world)
    secret = _linear(950, "Zephyr", "Carol only.")  # the best match: shortest
    world.add_tickets(
        [
            replace(secret, restricted_to=("lin-carol",)),
            _linear(951, "Zephyr dashboard review", "Public for everyone here."),
            replace(_linear(952, "Zephyr old plan", "Gone."), deleted=True),
        ]
    )
    generate_corpus(world, 2_000, seed=5, containers=[ACME_WEB_TEAM])
    for_alice = world.search(
        Provider.linear, ACME_WEB_TEAM.id, "zephyr", account_id="lin-alice", limit=10
    )
    for_carol = world.search(
        Provider.linear, ACME_WEB_TEAM.id, "zephyr", account_id="lin-carol", limit=10
    )
    assert ([t.key for t in for_alice.tickets], for_alice.total) == (["WEB-951"], 1)
    assert [t.key for t in for_carol.tickets] == ["WEB-950", "WEB-951"]
    assert for_carol.total == 2
    # A restricted best match must not shorten the page of someone who cannot see it.
    first = world.search(
        Provider.linear, ACME_WEB_TEAM.id, "zephyr", account_id="lin-alice", limit=1
    )
    assert [t.key for t in first.tickets] == ["WEB-951"]


def test_issue_14_text_index_survives_a_restart_and_rebuilds_when_lost(
    shared_world_location: str,
) -> None:
    """An SQLite world's index is kept beside its file; a PostgreSQL replica's is rebuilt from
    the database each time it starts."""
    path = shared_world_location
    with TrackerWorld(path) as world:
        seed_default_world(world)
        generate_corpus(world, 3_000, seed=9)
        before = keys(world, "billing export", ACME_WEB_TEAM.id)
    with TrackerWorld(path) as reopened:
        assert keys(reopened, "billing export", ACME_WEB_TEAM.id) == before
    if path.endswith(".sqlite"):
        shutil.rmtree(f"{path}.text")
    with TrackerWorld(path) as rebuilt:
        assert keys(rebuilt, "billing export", ACME_WEB_TEAM.id) == before
        assert keys(rebuilt, "Clerk auth", ACME_WEB_TEAM.id) == ["WEB-123", "WEB-127"]


def test_issue_14_a_ticket_written_by_one_process_is_found_by_another(
    shared_world_location: str,
) -> None:
    """Two processes of one world file, or two replicas of one database: each one's writes are
    found by the other's very next search (created, edited, deleted, reset)."""
    with (
        TrackerWorld(shared_world_location) as writer,
        TrackerWorld(shared_world_location) as reader,
    ):
        seed_default_world(writer)
        assert keys(reader, "zephyr", ACME_WEB_TEAM.id) == []
        writer.add_tickets([_linear(960, "Zephyr migration", "Found across connections.")])
        assert keys(reader, "zephyr", ACME_WEB_TEAM.id) == ["WEB-960"]
        created = reader.create_ticket(
            Provider.linear, "WEB", title="Zephyr rollout", body_markdown=None, author="lin-bob"
        )
        assert keys(writer, "zephyr", ACME_WEB_TEAM.id) == [created.key, "WEB-960"]
        writer.edit_ticket(Provider.linear, "WEB-123", TicketChanges.of(title="Zephyr passkeys"))
        assert keys(reader, "zephyr passkeys", ACME_WEB_TEAM.id) == ["WEB-123"]
        reader.edit_ticket(Provider.linear, "WEB-960", TicketChanges.of(deleted=True))
        assert keys(writer, "zephyr", ACME_WEB_TEAM.id) == [created.key, "WEB-123"]
        writer.revert_edits()
        assert keys(reader, "zephyr", ACME_WEB_TEAM.id) == ["WEB-960"]
        assert keys(reader, "Clerk auth", ACME_WEB_TEAM.id) == ["WEB-123", "WEB-127"]


def test_issue_14_an_index_of_another_layout_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "world.sqlite"
    with TrackerWorld(path) as world:
        seed_default_world(world)
    (Path(f"{path}.text") / "kitty-layout").write_text("0", encoding="utf-8")
    with TrackerWorld(path) as reopened:
        assert keys(reopened, "Clerk auth", ACME_WEB_TEAM.id) == ["WEB-123", "WEB-127"]
    assert (Path(f"{path}.text") / "kitty-layout").read_text(encoding="utf-8") != "0"
