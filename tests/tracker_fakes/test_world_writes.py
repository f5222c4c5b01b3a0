"""The tracker world's writes: created tickets, field edits, comments, labels and the events
they leave, and how the mock's reset and a sandbox's copy treat them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from kitty_contracts import Provider, StatusCategory
from kitty_mock_saas.tracker_fakes.world import (
    EventKind,
    TicketChanges,
    TrackerWorld,
    seed_default_world,
)
from kitty_mock_saas.tracker_fakes.world.seed import (
    ACME_IAM,
    ACME_PLATFORM,
    ACME_WEB_REPO,
    ACME_WEB_TEAM,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
J, L, G = Provider.jira, Provider.linear, Provider.github


@pytest.fixture
def world(default_world: TrackerWorld) -> TrackerWorld:
    return default_world


def found(world: TrackerWorld, provider: Provider, container_id: str, text: str) -> list[str]:
    hits = world.search(provider, container_id, text, account_id="acc-alice", limit=20)
    return [ticket.key for ticket in hits.tickets]


def kinds(
    world: TrackerWorld, provider: Provider, key: str
) -> list[tuple[EventKind, dict[str, object]]]:
    return [(event.kind, event.details) for event in world.ticket_events(provider, key)]


def test_created_tickets_take_the_next_number_and_ids_shaped_like_the_seeds(
    world: TrackerWorld,
) -> None:
    jira = world.create_ticket(
        J,
        "IAM",
        title="Rotate the zebra tokens",
        body_markdown="Quarterly.",
        author="acc-alice",
        labels=["Security", "audit"],
        assignee="acc-carol",
        priority=2,
        parent_key="IAM-40",
        now=NOW,
    )
    assert (jira.key, jira.id, jira.number) == ("IAM-47", "10347", 47)
    assert (jira.status_name, jira.status_category) == ("To Do", StatusCategory.todo)
    assert (jira.reporter, jira.assignee, jira.priority, jira.parent_key) == (
        "acc-alice",
        "acc-carol",
        2,
        "IAM-40",
    )
    # The catalogue's spelling wins; a new name joins the catalogue.
    assert jira.labels == ("security", "audit")
    assert world.label(J, ACME_IAM.id, "AUDIT") is not None
    assert world.ticket(J, "IAM-47") == jira
    assert found(world, J, ACME_IAM.id, "zebra") == ["IAM-47"]
    assert kinds(world, J, "IAM-47") == [
        (EventKind.created, {}),
        (EventKind.labeled, {"label": "security"}),
        (EventKind.labeled, {"label": "audit"}),
        (EventKind.assigned, {"assignee": "acc-carol"}),
    ]
    # acme/platform#3's first-choice id is acme/web#3's: the next thousand is taken instead.
    platform = world.create_ticket(
        G, "acme/platform", title="Retry webhooks", body_markdown=None, author="gh-alice"
    )
    assert (platform.key, platform.id, platform.status_name) == (
        "acme/platform#3",
        "3000001003",
        "Open",
    )
    linear = world.create_ticket(
        L, "WEB", title="Offline mode", body_markdown="", author="lin-bob", now=NOW
    )
    assert linear.key == "WEB-131"
    assert world.ticket_by_id(L, linear.id) == linear


def test_creation_refuses_what_the_world_does_not_have(world: TrackerWorld) -> None:
    def create(**overrides: object) -> None:
        arguments: dict[object, object] = {
            "title": "A title",
            "body_markdown": None,
            "author": "lin-alice",
        }
        arguments.update(overrides)
        world.create_ticket(L, "WEB", **arguments)  # type: ignore[arg-type]

    with pytest.raises(LookupError):
        world.create_ticket(L, "NOPE", title="x", body_markdown=None, author="lin-alice")
    with pytest.raises(LookupError):
        create(author="acc-alice")  # a Jira account is nobody on Linear
    with pytest.raises(LookupError):
        create(assignee="lin-nobody")
    with pytest.raises(LookupError):
        create(parent_key="IAM-42")  # a parent of another provider
    with pytest.raises(ValueError, match="priority"):
        create(priority=5)
    with pytest.raises(ValueError, match="title"):
        create(title="   ")
    assert world.count_tickets(L, "WEB") == 13


def test_an_edit_changes_only_what_it_names_and_records_each_change(world: TrackerWorld) -> None:
    before = world.ticket(G, "acme/web#3")
    assert before is not None
    assert before.labels == ("bug",)
    renamed = world.edit_ticket(
        G,
        "acme/web#3",
        TicketChanges.of(title="Login page flickers on zebra"),
        now=NOW,
        actor="gh-carol",
    )
    assert renamed is not None
    assert (renamed.labels, renamed.assignee, renamed.status_name, renamed.body_markdown) == (
        before.labels,
        before.assignee,
        before.status_name,
        before.body_markdown,
    )
    assert renamed.updated_at == NOW
    assert found(world, G, ACME_WEB_REPO.id, "zebra") == ["acme/web#3"]
    world.edit_ticket(
        G,
        "acme/web#3",
        TicketChanges.of(
            labels=["BUG", "help wanted"],
            assignee="gh-dan",
            status_category=StatusCategory.done,
        ),
        now=NOW + timedelta(minutes=1),
        actor="gh-alice",
    )
    closed = world.ticket(G, "acme/web#3")
    assert closed is not None
    assert closed.labels == ("bug", "help wanted")
    assert (closed.status_name, closed.state_reason) == ("Closed", "completed")
    events = world.ticket_events(G, "acme/web#3")
    assert [(e.kind, e.actor) for e in events] == [
        (EventKind.renamed, "gh-carol"),
        (EventKind.closed, "gh-alice"),
        (EventKind.labeled, "gh-alice"),
        (EventKind.unassigned, "gh-alice"),
        (EventKind.assigned, "gh-alice"),
    ]
    assert events[0].details == {
        "from": "Login page flickers on Safari",
        "to": "Login page flickers on zebra",
    }
    assert events[1].write == events[4].write != events[0].write  # one write, one history
    assert events[1].details["state_reason"] == "completed"
    # Reopening with GitHub's reason, and an edit that changes nothing records nothing.
    world.edit_ticket(
        G,
        "acme/web#3",
        TicketChanges.of(status_category=StatusCategory.todo, state_reason="reopened"),
        actor="gh-alice",
    )
    world.edit_ticket(G, "acme/web#3", TicketChanges.of(labels=["bug", "help wanted"]))
    assert [e.kind for e in world.ticket_events(G, "acme/web#3")][5:] == [EventKind.reopened]
    assert world.ticket(G, "acme/web#3").state_reason == "reopened"  # type: ignore[union-attr]


def test_edits_check_accounts_priorities_and_parents(world: TrackerWorld) -> None:
    with pytest.raises(LookupError):
        world.edit_ticket(L, "WEB-120", TicketChanges.of(assignee="gh-alice"))
    with pytest.raises(ValueError, match="priority"):
        world.edit_ticket(L, "WEB-120", TicketChanges.of(priority=True))
    with pytest.raises(ValueError, match="cycle"):  # WEB-127 is WEB-123's child
        world.edit_ticket(L, "WEB-123", TicketChanges.of(parent_key="WEB-127"))
    with pytest.raises(ValueError, match="cycle"):
        world.edit_ticket(L, "WEB-123", TicketChanges.of(parent_key="WEB-123"))
    with pytest.raises(TypeError):
        TicketChanges.of(colour="red")
    moved = world.edit_ticket(
        L, "WEB-120", TicketChanges.of(priority=1, parent_key="WEB-118", assignee="lin-dan")
    )
    assert moved is not None
    assert (moved.priority, moved.parent_key, moved.assignee) == (1, "WEB-118", "lin-dan")
    assert [e.kind for e in world.ticket_events(L, "WEB-120")] == [
        EventKind.assigned,
        EventKind.prioritized,
        EventKind.reparented,
    ]


def test_comments_touch_the_ticket_and_can_be_edited(world: TrackerWorld) -> None:
    seeded = world.comments(J, "IAM-42")
    assert [c.author for c in seeded] == ["acc-carol", "acc-alice"]
    comment = world.add_comment(J, "IAM-42", "acc-alice", "Done on **prod** too.", now=NOW)
    assert comment.id not in {c.id for c in seeded}
    assert world.comments(J, "IAM-42")[-1] == comment
    assert world.comment(J, comment.id) == comment
    assert world.ticket(J, "IAM-42").updated_at == NOW  # type: ignore[union-attr]
    assert kinds(world, J, "IAM-42") == [(EventKind.commented, {"comment_id": comment.id})]
    edited = world.edit_comment(J, seeded[0].id, "Rollout moved to Wednesday.", now=NOW)
    assert edited is not None
    assert edited.body_markdown == "Rollout moved to Wednesday."
    assert edited.created_at == seeded[0].created_at
    assert world.edit_comment(J, "99999999", "nobody") is None
    with pytest.raises(LookupError):
        world.add_comment(J, "IAM-999", "acc-alice", "no such ticket")
    with pytest.raises(LookupError):
        world.add_comment(J, "IAM-42", "lin-alice", "not a Jira account")


def test_reset_puts_the_seeded_world_back(world: TrackerWorld) -> None:
    tickets_before = world.tickets(limit=1000)
    comments_before = world.comments(J, "IAM-42")
    labels_before = world.labels(G, ACME_WEB_REPO.id)
    created = world.create_ticket(
        G,
        "acme/web",
        title="Zebra crossing",
        body_markdown=None,
        author="gh-alice",
        labels=["triage"],
    )
    world.edit_ticket(J, "IAM-42", TicketChanges.of(title="Zebra keys", labels=["new-label"]))
    world.add_comment(J, "IAM-42", "acc-carol", "More.")
    world.add_comment(G, created.key, "gh-carol", "On the new one.")
    world.edit_comment(J, comments_before[0].id, "Changed.")
    world.update_status(
        L,
        "WEB-121",
        status_name="Done",
        status_category=StatusCategory.done,
        state_reason=None,
        updated_at=NOW,
        actor="app-spec-kitty-linear",
    )
    assert world.status_writes(L) != []

    assert world.revert_edits() == 3  # IAM-42, WEB-121 and the created one
    assert world.tickets(limit=1000) == tickets_before
    assert world.comments(J, "IAM-42") == comments_before
    assert world.labels(G, ACME_WEB_REPO.id) == labels_before
    assert world.label(J, ACME_IAM.id, "new-label") is None
    assert world.ticket_events(J, "IAM-42") == []
    assert world.status_writes(L) == []
    assert found(world, G, ACME_WEB_REPO.id, "zebra") == []
    assert found(world, J, ACME_IAM.id, "signing keys") == ["IAM-42"]
    # The number and the rowid are free again, and the text index finds the new ticket.
    again = world.create_ticket(
        G, "acme/web", title="Zebra again", body_markdown=None, author="gh-alice"
    )
    assert again.key == created.key
    assert found(world, G, ACME_WEB_REPO.id, "zebra") == [again.key]
    assert world.comments(G, again.key) == []


def test_a_sandbox_copy_carries_the_writes_and_keeps_its_own(world: TrackerWorld) -> None:
    world.create_ticket(L, "API", title="Zebra endpoint", body_markdown=None, author="lin-bob")
    world.add_comment(L, "API-8", "lin-alice", "First.")
    copy = world.copy_to(":memory:")
    try:
        assert copy.ticket(L, "API-8") == world.ticket(L, "API-8")
        assert copy.comments(L, "API-8") == world.comments(L, "API-8")
        assert copy.ticket_events(L, "API-8") == world.ticket_events(L, "API-8")
        assert copy.accounts(L) == world.accounts(L)
        assert found(copy, L, ACME_WEB_TEAM.id, "zebra") == []
        copy.add_comment(L, "API-8", "lin-carol", "Only in the copy.")
        assert len(world.comments(L, "API-8")) == 1
        # The copy's reset removes what was written before the copy too: it is as seeded.
        copy.revert_edits()
        assert copy.ticket(L, "API-8") is None
        assert world.ticket(L, "API-8") is not None
    finally:
        copy.close()


def test_two_connections_to_one_file_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "world.sqlite"
    with TrackerWorld(path) as first, TrackerWorld(path) as second:
        seed_default_world(first)
        created = first.create_ticket(
            G, "acme/platform", title="Zebra limits", body_markdown=None, author="gh-carol"
        )
        first.add_comment(G, created.key, "gh-alice", "Seen.")
        assert second.ticket(G, created.key) == first.ticket(G, created.key) is not None
        assert [c.body_markdown for c in second.comments(G, created.key)] == ["Seen."]
        assert found(second, G, ACME_PLATFORM.id, "zebra") == [created.key]
        second.revert_edits()
        # The rowid the reset freed is indexed again when the other connection reuses it.
        again = first.create_ticket(
            G, "acme/platform", title="Zebra again", body_markdown=None, author="gh-carol"
        )
        assert again.key == created.key
        assert found(first, G, ACME_PLATFORM.id, "zebra") == [again.key]
        assert found(second, G, ACME_PLATFORM.id, "zebra") == [again.key]


def test_a_label_the_seed_names_after_a_write_added_it_survives_the_reset(
    world: TrackerWorld,
) -> None:
    world.edit_ticket(J, "IAM-43", TicketChanges.of(labels=["rollout"]))
    world.ensure_label(J, ACME_IAM.id, "Rollout", seeded=True)
    world.revert_edits()
    assert world.label(J, ACME_IAM.id, "rollout") is not None
    assert world.ticket(J, "IAM-43").labels == ()  # type: ignore[union-attr]


def test_writes_and_the_fakes_tell_time_by_the_worlds_clock(tmp_path: Path) -> None:
    """One injected clock for every write (and copies keep it), so two runs stamp alike."""
    still = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    world = TrackerWorld(clock=lambda: still)
    seed_default_world(world)
    edited = world.edit_ticket(Provider.linear, "WEB-123", TicketChanges.of(title="Passkeys"))
    assert edited is not None
    assert edited.updated_at == still
    comment = world.add_comment(Provider.linear, "WEB-123", "lin-alice", "looks good")
    assert comment.created_at == still
    copy = world.copy_to(str(tmp_path / "copy.sqlite"))
    created = copy.create_ticket(
        Provider.jira, "IAM", title="New", body_markdown=None, author="acc-alice"
    )
    assert created.created_at == still
    copy.close()
    world.close()
