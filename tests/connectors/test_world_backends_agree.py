"""The tracker world answers alike on SQLite and on PostgreSQL: the same writes, then the same
searches give the same candidates in the same order with the same totals, and the ids made
from the database (comments, labels, links, events) are the same; a second replica on the
PostgreSQL database, opened before the writes, answers alike too."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from kitty_contracts import Provider, StatusCategory
from kitty_mock_saas.tracker_fakes.world import (
    TicketChanges,
    TrackerWorld,
    generate_corpus,
    seed_default_world,
)
from kitty_mock_saas.tracker_fakes.world.seed import (
    ACME_API,
    ACME_IAM,
    ACME_PLATFORM,
    ACME_WEB_REPO,
    ACME_WEB_TEAM,
)

J, L, G = Provider.jira, Provider.linear, Provider.github
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

# (provider, container id or None for all, text, options): what the relevance and conformance
# suites ask, on the seed and on the corpus.
QUERIES: list[tuple[Provider, str | None, str, dict[str, Any]]] = [
    (L, ACME_WEB_TEAM.id, "Clerk auth", {}),
    (L, ACME_WEB_TEAM.id, "billing export", {}),
    (L, None, "billing export", {}),
    (L, ACME_API.id, "webhook delivery", {"offset": 5}),
    (J, ACME_IAM.id, "rotate signing keys", {}),
    (J, ACME_IAM.id, "sign*", {}),
    (J, None, "audit log", {"field": "title"}),
    (J, ACME_IAM.id, "password reset", {"limit": 3, "offset": 2}),
    (G, ACME_WEB_REPO.id, "dashboard charts", {"pull_requests": None}),
    (G, ACME_PLATFORM.id, "rate limiter", {"pull_requests": True}),
    (G, None, "feature flags", {}),
    (L, ACME_WEB_TEAM.id, "zephyr", {}),
    (L, ACME_WEB_TEAM.id, "quantum teleportation", {}),
]
ACCOUNTS = {J: ("acc-alice", "acc-bob"), L: ("lin-alice", "lin-carol"), G: ("gh-alice", "gh-carol")}


def answers(world: TrackerWorld) -> list[tuple[Any, ...]]:
    """Every query's page (whole tickets, in order) and total, for two accounts each."""
    found = []
    for provider, container, text, options in QUERIES:
        settings = {"limit": 10, **options}
        for account in ACCOUNTS[provider]:
            hits = world.search(provider, container, text, account_id=account, **settings)
            found.append((text, account, hits.tickets, hits.total))
    return found


def records(world: TrackerWorld) -> dict[str, Any]:
    """What the writes left beside the tickets, ids included."""
    return {
        "comments": world.comments(L, "WEB-123") + world.comments(G, "acme/web#3"),
        "events": world.ticket_events(L, "WEB-123") + world.ticket_events(J, "IAM-42"),
        "links": world.links(J, "IAM-42"),
        "labels": world.labels(G, ACME_WEB_REPO.id),
        "status_writes": world.status_writes(J),
        "tickets": world.tickets(limit=60),
    }


def write(world: TrackerWorld, step: int) -> None:
    """The same writes on each backend (the clock is the test's)."""
    at = START + timedelta(minutes=step)
    if step == 0:
        world.edit_ticket(L, "WEB-123", TicketChanges.of(title="Zephyr billing export"), now=at)
        world.edit_ticket(J, "IAM-42", TicketChanges.of(deleted=True), now=at)
        world.edit_ticket(
            L, "WEB-127", TicketChanges.of(restricted_to=("lin-carol",), labels=["zephyr"]), now=at
        )
        for n in range(3):
            world.create_ticket(
                L,
                "WEB",
                title=f"Zephyr billing export {n}",
                body_markdown="audit log " * n,
                author="lin-alice",
                now=at,
            )
        world.add_comment(L, "WEB-123", "lin-bob", "zephyr seen", now=at)
        world.add_comment(G, "acme/web#3", "gh-carol", "dashboard charts", now=at)
        world.ensure_label(G, ACME_WEB_REPO.id, "Rate Limiter")
        world.add_link(J, "IAM-42", "IAM-43", "blocks", author="acc-alice", now=at)
        world.update_status(
            J,
            "IAM-43",
            status_name="Done",
            status_category=StatusCategory.done,
            state_reason=None,
            updated_at=at,
            actor="acc-alice",
        )
    else:
        world.revert_edits()
        # The rowids the reset freed are used again, on both backends.
        world.create_ticket(L, "WEB", title="Zephyr again", body_markdown=None, author="lin-bob")
        world.add_comment(L, "WEB-123", "lin-carol", "zephyr again", now=at)


@pytest.fixture
def worlds(postgres_url: str) -> Iterator[tuple[TrackerWorld, TrackerWorld, TrackerWorld]]:
    """SQLite in memory, and two replicas of one PostgreSQL database (the second opened before
    any write), each seeded and given the same corpus."""
    clock = lambda: START  # noqa: E731 - the worlds' one clock
    sqlite = TrackerWorld(clock=clock)
    postgres = TrackerWorld(postgres_url, clock=clock)
    for world in (sqlite, postgres):
        seed_default_world(world)
        generate_corpus(world, 3_000, seed=21)
    replica = TrackerWorld(postgres_url, clock=clock)
    try:
        yield sqlite, postgres, replica
    finally:
        for world in (sqlite, postgres, replica):
            world.close()


def test_both_backends_give_the_same_candidates_in_the_same_order(
    worlds: tuple[TrackerWorld, TrackerWorld, TrackerWorld],
) -> None:
    sqlite, postgres, replica = worlds
    before = answers(sqlite)
    assert any(total > 10 for *_, total in before)  # the corpus is searched, pages are full
    assert answers(postgres) == before
    assert answers(replica) == before
    for step in (0, 1):
        write(sqlite, step)
        write(postgres, step)
        expected = answers(sqlite)
        assert expected != before
        assert answers(postgres) == expected, step
        assert answers(replica) == expected, step
        assert records(postgres) == records(sqlite), step
        assert records(replica) == records(sqlite), step
