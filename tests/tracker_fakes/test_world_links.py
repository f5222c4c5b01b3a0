"""Links between tickets (Jira issue links, Linear relations): both ends see them, each end
records the change, the reset removes them."""

from __future__ import annotations

import pytest
from kitty_contracts import Provider
from kitty_mock_saas.tracker_fakes.world import EventKind, TrackerWorld

J, L = Provider.jira, Provider.linear


@pytest.fixture
def world(default_world: TrackerWorld) -> TrackerWorld:
    return default_world


def test_a_link_is_seen_from_both_ends_once(world: TrackerWorld) -> None:
    link = world.add_link(J, "IAM-40", "IAM-45", "Blocks", author="acc-alice")
    assert (link.from_key, link.to_key, link.kind, link.author) == (
        "IAM-40",
        "IAM-45",
        "Blocks",
        "acc-alice",
    )
    assert link.id.isdigit()
    assert world.links(J, "IAM-40") == [link] == world.links(J, "IAM-45")
    assert world.add_link(J, "IAM-40", "IAM-45", "Blocks", author="acc-carol") == link
    assert world.link(J, link.id) == link
    assert [(e.kind, e.details) for e in world.ticket_events(J, "IAM-45")] == [
        (EventKind.linked, {"kind": "Blocks", "direction": "from", "key": "IAM-40"})
    ]
    other = world.add_link(J, "IAM-40", "IAM-45", "Relates", author=None)
    assert other.id != link.id
    assert world.remove_link(J, link.id, actor="acc-alice")
    assert not world.remove_link(J, link.id)
    assert world.links(J, "IAM-45") == [other]
    assert world.ticket_events(J, "IAM-40")[-1].kind is EventKind.unlinked


def test_links_refuse_unknown_tickets_and_self_links_and_go_with_the_reset(
    world: TrackerWorld,
) -> None:
    with pytest.raises(LookupError):
        world.add_link(L, "WEB-123", "IAM-42", "blocks", author="lin-alice")
    with pytest.raises(ValueError, match="itself"):
        world.add_link(L, "WEB-123", "WEB-123", "related", author="lin-alice")
    created = world.create_ticket(L, "WEB", title="Passkeys", body_markdown=None, author="lin-bob")
    world.add_link(L, created.key, "WEB-123", "related", author="lin-bob")
    world.add_link(L, "WEB-121", "WEB-123", "duplicate", author="lin-bob")
    assert len(world.links(L, "WEB-123")) == 2
    world.revert_edits()
    assert world.links(L, "WEB-123") == []
    assert world.ticket_events(L, "WEB-123") == []
