"""The shared ticket world: seeding, search semantics, sharing a file, scale."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from kitty_contracts import Provider
from kitty_mock_saas.tracker_fakes import TrackerWorld, generate_corpus, seed_default_world
from kitty_mock_saas.tracker_fakes.world.corpus import CORPUS_VOCABULARY
from kitty_mock_saas.tracker_fakes.world.models import Identity
from kitty_mock_saas.tracker_fakes.world.seed import (
    ACME_IAM,
    ACME_WEB_REPO,
    ACME_WEB_TEAM,
    DEFAULT_CONTAINERS,
)
from kitty_mock_saas.tracker_fakes.world.text_index import query_words


def keys(
    world: TrackerWorld,
    provider: Provider,
    container_id: str | None,
    text: str,
    account: str = "acc-alice",
    **options: object,
) -> list[str]:
    hits = world.search(provider, container_id, text, account_id=account, limit=50, **options)  # type: ignore[arg-type]
    return [ticket.key for ticket in hits.tickets]


def test_seeding_is_idempotent_and_complete(world: TrackerWorld) -> None:
    before = world.count_tickets()
    seed_default_world(world)
    assert world.count_tickets() == before
    assert [c.key for c in world.containers()] == [c.key for c in DEFAULT_CONTAINERS]
    assert world.account_for_token(Provider.jira, "jira-tok-alice") == "acc-alice"
    assert world.account_for_token(Provider.jira, "lin-tok-bob") is None
    assert {i.token for i in world.identities(Provider.linear)} == {
        "lin-tok-alice",
        "lin-tok-bob",
        "lin-tok-carol",
        "lin-install-acme",  # the installation: the SaaS's own credential for writes
    }
    assert world.count_tickets(Provider.linear, "WEB") == 13
    iam42 = world.ticket(Provider.jira, "IAM-42")
    assert iam42 is not None
    assert (iam42.id, iam42.container_id) == ("10342", "10042")


def test_search_requires_every_word_and_ranks_titles_first(seeded_world: TrackerWorld) -> None:
    web = ACME_WEB_TEAM.id
    assert keys(seeded_world, Provider.linear, web, "Clerk auth", "lin-alice") == [
        "WEB-123",
        "WEB-127",
    ]
    assert sorted(keys(seeded_world, Provider.linear, web, "clerk", "lin-alice")) == [
        "WEB-123",
        "WEB-127",
    ]
    assert keys(seeded_world, Provider.linear, web, "Clerk teleportation", "lin-alice") == []
    assert keys(seeded_world, Provider.jira, ACME_IAM.id, "signing keys") == ["IAM-42"]
    assert keys(seeded_world, Provider.jira, ACME_IAM.id, "sign*") == ["IAM-42", "IAM-35"]
    assert keys(seeded_world, Provider.jira, ACME_IAM.id, "rotating", field="title") == [
        "IAM-42"
    ]  # porter stemming, title only


def test_search_is_scoped_to_one_container_unless_asked(seeded_world: TrackerWorld) -> None:
    assert keys(seeded_world, Provider.jira, ACME_IAM.id, "backup billing") == []
    assert keys(seeded_world, Provider.jira, None, "backup billing") == ["OPS-214"]
    assert keys(seeded_world, Provider.linear, "no-such-team", "Clerk", "lin-alice") == []


def test_tombstones_pull_requests_and_restrictions(seeded_world: TrackerWorld) -> None:
    repo = ACME_WEB_REPO.id
    assert keys(seeded_world, Provider.github, repo, "pydantic", "gh-alice") == []
    assert keys(
        seeded_world, Provider.github, repo, "pydantic", "gh-alice", pull_requests=True
    ) == ["acme/web#7"]
    assert (
        keys(seeded_world, Provider.github, repo, "staging README", "gh-alice", pull_requests=None)
        == []
    )  # deleted
    assert keys(seeded_world, Provider.github, repo, "rate limiter", "gh-alice") == []
    assert keys(seeded_world, Provider.github, repo, "session fixation", "gh-alice") == []
    assert keys(seeded_world, Provider.github, repo, "session fixation", "gh-carol") == [
        "acme/web#11"
    ]


@pytest.mark.parametrize(
    "text", ['"unterminated', "NEAR(a b)", "title:foo", "a OR b", "*", "(", "AND", "x -y ^z"]
)
def test_user_text_can_never_inject_query_syntax(seeded_world: TrackerWorld, text: str) -> None:
    hits = seeded_world.search(Provider.jira, ACME_IAM.id, text, account_id="acc-alice", limit=5)
    assert hits.total >= 0
    assert all(word.token.isalnum() for word in query_words(text))


def test_corpus_is_deterministic_and_avoids_the_example_words(world_location: str) -> None:
    # The same corpus on either backend: the second world is always in SQLite's memory.
    first, second = TrackerWorld(world_location), TrackerWorld()
    for world in (first, second):
        seed_default_world(world)
        generate_corpus(world, 500, seed=3)
    assert first.tickets(limit=500) == second.tickets(limit=500)
    assert not CORPUS_VOCABULARY & {"clerk", "quantum", "teleportation", "signing"}
    progress: list[int] = []
    generate_corpus(first, 25_000, seed=4, progress=progress.append)
    assert progress == [10_000, 20_000, 25_000]
    assert first.count_tickets(synthetic=True) == 25_500
    assert first.count_tickets(synthetic=False) == second.count_tickets(synthetic=False)
    first.close()
    second.close()


def test_two_connections_share_one_file(shared_world_location: str) -> None:
    path = shared_world_location
    writer, reader = TrackerWorld(path), TrackerWorld(path)
    seed_default_world(writer)
    seed_default_world(reader)  # a second worker seeding the same file changes nothing
    generate_corpus(writer, 200, seed=5, containers=[ACME_WEB_TEAM])
    assert reader.count_tickets() == writer.count_tickets()
    assert keys(reader, Provider.linear, ACME_WEB_TEAM.id, "Clerk auth", "lin-alice") == [
        "WEB-123",
        "WEB-127",
    ]
    if path.endswith(".sqlite"):
        assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    writer.close()
    reader.close()


@pytest.mark.slow
def test_search_stays_correct_at_scale(world_location: str) -> None:
    world = TrackerWorld(world_location)
    seed_default_world(world)
    generate_corpus(world, 20_000, seed=42)
    assert world.count_tickets() > 20_000
    assert keys(world, Provider.linear, ACME_WEB_TEAM.id, "Clerk auth", "lin-alice") == [
        "WEB-123",
        "WEB-127",
    ]
    assert (
        keys(world, Provider.linear, ACME_WEB_TEAM.id, "quantum teleportation", "lin-alice") == []
    )
    hits = world.search(
        Provider.jira, ACME_IAM.id, "billing export", account_id="acc-alice", limit=5
    )
    assert hits.total > 100
    assert all("billing export" in t.title.lower() for t in hits.tickets)
    world.close()


def test_remembered_reads_follow_every_writer(shared_world_location: str) -> None:
    """Containers, identities and restricted tickets are remembered between searches: a write
    here or by another connection to the same file (or replica of the database) is seen by the
    next call."""
    path = shared_world_location
    mine, other = TrackerWorld(path), TrackerWorld(path)
    seed_default_world(mine)
    team = ACME_WEB_TEAM.id
    assert sorted(keys(mine, Provider.linear, team, "Clerk", "lin-alice")) == ["WEB-123", "WEB-127"]
    assert mine.account_for_token(Provider.linear, "lin-tok-new") is None
    before = len(mine.containers(Provider.linear))
    web_123 = mine.ticket(Provider.linear, "WEB-123")
    assert web_123 is not None
    for writer in (mine, other):
        number = 900 if writer is mine else 901
        writer.add_tickets(
            [
                dataclasses.replace(
                    web_123,
                    number=number,
                    id=f"restricted-{number}",
                    key=f"WEB-{number}",
                    title="Clerk secret",
                    restricted_to=("lin-carol",),
                )
            ]
        )
        assert sorted(keys(mine, Provider.linear, team, "Clerk", "lin-alice")) == [
            "WEB-123",
            "WEB-127",
        ]
        assert f"WEB-{number}" in keys(mine, Provider.linear, team, "Clerk", "lin-carol")
    other.add_identity(Identity(Provider.linear, "lin-tok-new", "lin-new", "New"))
    assert mine.account_for_token(Provider.linear, "lin-tok-new") == "lin-new"
    other.add_container(dataclasses.replace(ACME_WEB_TEAM, key="NEW", id="new-team"))
    assert len(mine.containers(Provider.linear)) == before + 1
    assert mine.container(Provider.linear, key="NEW") is not None
    mine.containers(Provider.linear).clear()  # a copy: the remembered list stays whole
    assert len(mine.containers(Provider.linear)) == before + 1
    mine.close()
    other.close()
