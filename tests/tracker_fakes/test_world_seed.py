"""The seeded world's people and details hold together: every token acts as an account, every
label, assignee, reporter, parent and comment author exists where the ticket lives."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kitty_contracts import Provider
from kitty_mock_saas.tracker_fakes.world import TrackerWorld, seed_default_world
from kitty_mock_saas.tracker_fakes.world.seed import ACME_IAM, ACME_WEB_TEAM


@pytest.fixture(scope="module")
def world(module_world_location: str) -> Iterator[TrackerWorld]:
    with TrackerWorld(module_world_location) as seeded:
        seed_default_world(seeded)
        yield seeded


def test_every_identity_acts_as_an_account_with_a_name(world: TrackerWorld) -> None:
    for identity in world.identities():
        account = world.account(identity.provider, identity.account_id)
        assert account is not None, identity
        assert account.display_name
    alice = world.account(Provider.github, "gh-alice")
    assert alice is not None
    assert (alice.login, alice.display_name) == ("alice", "Alice Adams")
    assert world.account_by_login(Provider.github, "ALICE") == alice
    assert world.account_by_email(Provider.linear, "bob@acme.example") is not None
    assert world.account(Provider.jira, "lin-bob") is None  # bob has no Jira account
    bot = world.account(Provider.github, "app-spec-kitty-github")
    assert bot is not None
    assert bot.is_app


def test_ticket_details_point_at_things_of_their_own_tracker(world: TrackerWorld) -> None:
    tickets = world.tickets(limit=1000)
    assert len(tickets) == world.count_tickets()
    for ticket in tickets:
        catalogue = {label.name for label in world.labels(ticket.provider, ticket.container_id)}
        assert set(ticket.labels) <= catalogue, ticket.key
        for account in (ticket.assignee, ticket.reporter):
            assert account is None or world.account(ticket.provider, account), ticket.key
        if ticket.parent_key is not None:
            assert world.ticket(ticket.provider, ticket.parent_key) is not None
        if ticket.provider is Provider.github:
            assert ticket.priority is None  # GitHub has no priority
        else:
            assert ticket.priority in range(5), ticket.key
    for provider in Provider:
        for ticket in tickets:
            if ticket.provider is provider:
                for comment in world.comments(provider, ticket.key):
                    assert comment.author is not None
                    assert world.account(provider, comment.author) is not None
                    assert comment.created_at >= ticket.created_at


def test_the_contracts_named_examples_keep_their_facts(world: TrackerWorld) -> None:
    iam42 = world.ticket(Provider.jira, "IAM-42")
    assert iam42 is not None
    assert (iam42.title, iam42.status_name, iam42.container_id) == (
        "Rotate signing keys for SSO",
        "In Review",
        ACME_IAM.id,
    )
    assert (iam42.labels, iam42.assignee, iam42.priority) == (("security", "sso"), "acc-alice", 1)
    web127 = world.ticket(Provider.linear, "WEB-127")
    assert web127 is not None
    assert (web127.parent_key, web127.container_id) == ("WEB-123", ACME_WEB_TEAM.id)
    assert [c.author for c in world.comments(Provider.jira, "IAM-42")] == [
        "acc-carol",
        "acc-alice",
    ]
    # Seeded comments are part of the world, not writes: they leave no events.
    assert world.ticket_events(Provider.jira, "IAM-42") == []
