"""A sandbox's overlay world: the base world's rows plus the sandbox's own, stored alone.

Each test runs over two overlays of one seeded base, so "in the sandbox only" is checked against
the base and against a sibling sandbox alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from kitty_contracts import Provider
from kitty_mock_saas.store.schemas import sandbox_world_schema
from kitty_mock_saas.tracker_fakes.world import TicketChanges, TrackerWorld, seed_default_world
from kitty_mock_saas.tracker_fakes.world.overlay import OverlayWorld
from kitty_mock_saas.tracker_fakes.world.overlay_schema import OWN_ROWID_BASE
from kitty_mock_saas.tracker_fakes.world.overlay_store import open_overlay
from kitty_mock_saas.tracker_fakes.world.seed import ACME_IAM, ACME_WEB_TEAM

J, L = Provider.jira, Provider.linear


@pytest.fixture(params=["memory", "file", pytest.param("postgresql", marks=pytest.mark.postgres)])
def base(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TrackerWorld]:
    if request.param == "postgresql":
        location: str = request.getfixturevalue("postgres_url")
    else:
        location = ":memory:" if request.param == "memory" else str(tmp_path / "world.sqlite")
    with TrackerWorld(location) as seeded:
        seed_default_world(seeded)
        yield seeded


def _overlay_path(base: TrackerWorld, tmp_path: Path, name: str) -> str:
    """Where sandbox `name`'s overlay lives: a schema of a PostgreSQL base's database, memory
    over a memory base, else a file."""
    if base.path.startswith("postgresql://"):
        return sandbox_world_schema(name)
    return ":memory:" if base.path == ":memory:" else str(tmp_path / f"{name}.world")


@pytest.fixture
def sandboxes(base: TrackerWorld, tmp_path: Path) -> Iterator[tuple[OverlayWorld, OverlayWorld]]:
    with (
        OverlayWorld(_overlay_path(base, tmp_path, "a"), base=base) as a,
        OverlayWorld(_overlay_path(base, tmp_path, "b"), base=base) as b,
    ):
        yield a, b


def found(world: TrackerWorld, text: str, container: str = ACME_WEB_TEAM.id) -> list[str]:
    hits = world.search(L, container, text, account_id="lin-alice", limit=20)
    assert hits.total == len(hits.tickets)  # few hits: the count agrees with the page
    return sorted(ticket.key for ticket in hits.tickets)


def test_an_edited_title_is_found_by_its_new_words_in_the_sandbox_only(
    base: TrackerWorld, sandboxes: tuple[OverlayWorld, OverlayWorld]
) -> None:
    a, b = sandboxes
    assert "WEB-127" in found(a, "Clerk")
    a.edit_ticket(L, "WEB-127", TicketChanges.of(title="Zebra middleware", body_markdown=None))
    assert found(a, "zebra") == ["WEB-127"]
    assert "WEB-127" not in found(a, "Clerk")
    assert a.ticket(L, "WEB-127").title == "Zebra middleware"  # type: ignore[union-attr]
    for other in (base, b):
        assert found(other, "zebra") == []
        assert "WEB-127" in found(other, "Clerk")
        assert other.ticket(L, "WEB-127").title == "Clerk middleware cleanup"  # type: ignore[union-attr]


def test_a_deleted_ticket_disappears_and_a_created_one_appears_in_the_sandbox_only(
    base: TrackerWorld, sandboxes: tuple[OverlayWorld, OverlayWorld]
) -> None:
    a, b = sandboxes
    assert "WEB-123" in found(a, "Clerk")
    a.edit_ticket(L, "WEB-123", TicketChanges.of(deleted=True))
    created = a.create_ticket(
        L, "WEB", title="Giraffe onboarding", body_markdown="Clerk too", author="lin-alice"
    )
    assert "WEB-123" not in found(a, "Clerk")
    assert created.key in found(a, "Clerk")
    assert found(a, "giraffe") == [created.key]
    for other in (base, b):
        assert "WEB-123" in found(other, "Clerk")
        assert found(other, "giraffe") == []
        assert other.ticket(L, created.key) is None


def test_a_sandbox_sees_later_base_changes_of_rows_it_did_not_edit(
    base: TrackerWorld, sandboxes: tuple[OverlayWorld, OverlayWorld]
) -> None:
    a, _ = sandboxes
    a.edit_ticket(L, "WEB-127", TicketChanges.of(title="Sandbox title", body_markdown=None))
    base.edit_ticket(L, "WEB-123", TicketChanges.of(title="Passkey login"))
    base.edit_ticket(L, "WEB-127", TicketChanges.of(title="Base title"))
    assert a.ticket(L, "WEB-123").title == "Passkey login"  # type: ignore[union-attr]
    assert found(a, "passkey") == ["WEB-123"]
    assert a.ticket(L, "WEB-127").title == "Sandbox title"  # type: ignore[union-attr]
    assert found(a, "base") == []
    assert found(base, "base") == ["WEB-127"]


def test_rows_a_sandbox_creates_take_ids_base_growth_cannot_reach(
    base: TrackerWorld, sandboxes: tuple[OverlayWorld, OverlayWorld]
) -> None:
    a, _ = sandboxes
    comment = a.add_comment(J, "IAM-42", "acc-carol", "Only in a.")
    link = a.add_link(J, "IAM-42", "IAM-43", "Blocks", author="acc-alice")
    a.edit_ticket(J, "IAM-44", TicketChanges.of(labels=["sandboxed"]))
    # Each id is built from the rowid the overlay's trigger gave (SQLite reports none for a
    # view): found again by it, and from the own range.
    assert int(comment.id) > OWN_ROWID_BASE
    assert a.comment(J, comment.id) == comment
    assert a.link(J, link.id) == link
    assert a.label(J, ACME_IAM.id, "sandboxed") is not None
    base_comment = base.add_comment(J, "IAM-42", "acc-carol", "Only in the base.")
    assert int(base_comment.id) < OWN_ROWID_BASE
    assert [c.body_markdown for c in a.comments(J, "IAM-42")][-2:] == [
        "Only in the base.",
        "Only in a.",
    ]
    assert base.comment(J, comment.id) is None
    assert base.label(J, ACME_IAM.id, "sandboxed") is None


def test_a_sandbox_reset_drops_only_its_overlay(
    base: TrackerWorld, sandboxes: tuple[OverlayWorld, OverlayWorld]
) -> None:
    a, b = sandboxes
    a.edit_ticket(L, "WEB-127", TicketChanges.of(title="Zebra in a", body_markdown=None))
    created = a.create_ticket(L, "WEB", title="Giraffe", body_markdown=None, author="lin-bob")
    a.add_comment(L, "WEB-123", "lin-bob", "In a.")
    b.edit_ticket(L, "WEB-127", TicketChanges.of(title="Zebra in b", body_markdown=None))
    base.edit_ticket(L, "WEB-123", TicketChanges.of(title="Passkey login"))
    # WEB-127, the created ticket and WEB-123 (a comment touches its `updated_at`).
    assert a.revert_edits() == 3
    assert a.ticket(L, "WEB-127").title == "Clerk middleware cleanup"  # type: ignore[union-attr]
    assert a.ticket(L, created.key) is None
    assert a.comments(L, "WEB-123") == base.comments(L, "WEB-123")
    assert found(a, "zebra") == found(a, "giraffe") == []
    assert a.ticket(L, "WEB-123").title == "Passkey login"  # type: ignore[union-attr]
    # The base's own reset leaves every overlay alone.
    base.revert_edits()
    assert a.ticket(L, "WEB-123").title != "Passkey login"  # type: ignore[union-attr]
    assert b.ticket(L, "WEB-127").title == "Zebra in b"  # type: ignore[union-attr]
    assert found(b, "zebra") == ["WEB-127"]


def test_an_overlay_file_is_shared_by_its_connections(tmp_path: Path) -> None:
    """Two worker processes of one sandbox open the same overlay file."""
    path = str(tmp_path / "shared.world")
    with TrackerWorld(tmp_path / "world.sqlite") as base:
        seed_default_world(base)
        with OverlayWorld(path, base=base) as first, OverlayWorld(path, base=base) as second:
            first.edit_ticket(L, "WEB-127", TicketChanges.of(title="Zebra", body_markdown=None))
            assert second.ticket(L, "WEB-127").title == "Zebra"  # type: ignore[union-attr]
            assert found(second, "zebra") == ["WEB-127"]
            second.revert_edits()
            assert found(first, "zebra") == []
            reverted = first.ticket(L, "WEB-127")
            assert reverted is not None
            assert reverted.title == "Clerk middleware cleanup"


def test_the_overlays_own_listing_queries_answer_as_the_views_do(
    base: TrackerWorld, sandboxes: tuple[OverlayWorld, OverlayWorld]
) -> None:
    """`tickets`, `count_tickets`, `commented_keys` and `containers_overview` are planned per
    side on an overlay; the world's own statements over the views are the reference."""
    a, _ = sandboxes
    a.edit_ticket(J, "IAM-42", TicketChanges.of(title="Edited"))
    a.create_ticket(J, "IAM", title="Created", body_markdown=None, author="acc-alice")
    a.add_comment(J, "IAM-45", "acc-carol", "Commented in a.")
    for provider, container in ((None, None), (J, None), (J, "IAM"), (L, "WEB")):
        for limit, offset in ((50, 0), (2, 1), (3, 5)):
            mine = a.tickets(provider, container, limit=limit, offset=offset)
            assert mine == TrackerWorld.tickets(a, provider, container, limit=limit, offset=offset)
    assert a.tickets(J, "IAM", limit=1)[0].title == "Created"
    for provider, container in ((None, None), (J, None), (J, "IAM"), (L, "WEB")):
        for synthetic in (None, True, False):
            count = a.count_tickets(provider, container, synthetic=synthetic)
            assert count == TrackerWorld.count_tickets(a, provider, container, synthetic=synthetic)
    assert a.count_tickets(J, "IAM") == base.count_tickets(J, "IAM") + 1
    assert a.commented_keys(J, ACME_IAM.id) == TrackerWorld.commented_keys(a, J, ACME_IAM.id)
    assert "IAM-45" in a.commented_keys(J, ACME_IAM.id)
    assert a.containers_overview() == TrackerWorld.containers_overview(a)


def ranked(world: TrackerWorld, text: str) -> list[str]:
    hits = world.search(L, ACME_WEB_TEAM.id, text, account_id="lin-alice", limit=20)
    return [ticket.key for ticket in hits.tickets]


def test_own_and_base_hits_merge_by_score(
    base: TrackerWorld, sandboxes: tuple[OverlayWorld, OverlayWorld]
) -> None:
    """A title match outranks a body match whichever side holds it: own hits are scored with
    the base's statistics, not put before or after the base's."""
    a, _ = sandboxes
    base.edit_ticket(L, "WEB-120", TicketChanges.of(title="Zebra dark mode"))
    base.edit_ticket(L, "WEB-121", TicketChanges.of(body_markdown="A zebra crossing."))
    a.edit_ticket(L, "WEB-125", TicketChanges.of(title="Zebra contact form"))
    a.edit_ticket(L, "WEB-126", TicketChanges.of(body_markdown="Paint the zebra later."))
    order = ranked(a, "zebra")
    assert set(order[:2]) == {"WEB-120", "WEB-125"}
    assert set(order[2:]) == {"WEB-121", "WEB-126"}
    page = a.search(L, ACME_WEB_TEAM.id, "zebra", account_id="lin-alice", limit=2, offset=1)
    assert [t.key for t in page.tickets] == order[1:3]
    assert page.total == 4
    assert ranked(base, "zebra") == ["WEB-120", "WEB-121"]


def test_a_ticket_the_base_numbers_like_one_the_sandbox_created_stays_the_sandboxs(
    base: TrackerWorld, sandboxes: tuple[OverlayWorld, OverlayWorld]
) -> None:
    """Own rows win every unique key: the sandbox never lists two tickets of one key."""
    a, b = sandboxes
    mine = a.create_ticket(L, "WEB", title="Giraffe in a", body_markdown=None, author="lin-bob")
    theirs = base.create_ticket(
        L, "WEB", title="Okapi in base", body_markdown=None, author="lin-bob"
    )
    assert mine.key == theirs.key
    assert a.ticket(L, mine.key).title == "Giraffe in a"  # type: ignore[union-attr]
    assert [t.key for t in a.tickets(L, "WEB", limit=500)].count(mine.key) == 1
    assert a.tickets(L, "WEB", limit=500) == TrackerWorld.tickets(a, L, "WEB", limit=500)
    assert a.containers_overview() == TrackerWorld.containers_overview(a)
    assert found(a, "okapi") == []
    assert found(a, "giraffe") == [mine.key]
    assert found(b, "okapi") == [theirs.key]


def test_statements_on_the_views_report_as_on_tables(tmp_path: Path) -> None:
    """SQLite gives a statement on a view no new rowid and no row count; the overlay's
    connection reports what its triggers did, and `INSERT ... RETURNING` returns the row."""
    with TrackerWorld(tmp_path / "world.sqlite") as base:
        seed_default_world(base)
        db = open_overlay(str(tmp_path / "own.world"), base._store.location)  # type: ignore[union-attr]
        inserted = db.execute(
            "INSERT INTO ticket_links (provider, from_rowid, to_rowid, kind, created_at) "
            "VALUES ('jira', 1, 2, 'Blocks', 't0')"
        )
        assert inserted.lastrowid == OWN_ROWID_BASE
        assert inserted.rowcount == 1
        returned = db.execute(
            "INSERT INTO ticket_links (provider, from_rowid, to_rowid, kind, created_at) "
            "VALUES ('jira', 1, 3, 'Blocks', 't0') RETURNING rowid, kind"
        ).fetchall()
        assert [tuple(r) for r in returned] == [(OWN_ROWID_BASE + 1, "Blocks")]
        updated = db.execute("UPDATE tickets SET title = 'x' WHERE provider = 'jira'")
        assert updated.rowcount == base.count_tickets(J) > 1
        assert db.execute("DELETE FROM ticket_links WHERE to_rowid = 3").rowcount == 1
        db.close()


def test_an_overlay_gains_the_columns_its_base_gained(tmp_path: Path) -> None:
    path = str(tmp_path / "own.world")
    with TrackerWorld(tmp_path / "world.sqlite") as base:
        seed_default_world(base)
        with OverlayWorld(path, base=base) as first:
            first.edit_ticket(L, "WEB-127", TicketChanges.of(title="Zebra", body_markdown=None))
        with base._store.write() as db:
            db.execute("ALTER TABLE tickets ADD COLUMN estimate INTEGER")
            db.execute("UPDATE tickets SET estimate = 3 WHERE key = 'WEB-123'")
        with OverlayWorld(path, base=base) as again:
            rows = again._rows(
                "SELECT key, title, estimate FROM tickets WHERE key IN ('WEB-123', 'WEB-127') "
                "ORDER BY key"
            )
    assert [tuple(r) for r in rows] == [
        ("WEB-123", "Add Clerk auth", 3),
        ("WEB-127", "Zebra", None),
    ]
