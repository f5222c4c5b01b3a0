"""A sandbox's overlay world on PostgreSQL: the generated schema over `kitty_world`, written to
and read through the same SQL the world runs on SQLite (`PostgresStore` translates `?`), on the
throwaway server of `tests/postgres_server.py` (`postgres_url`: an empty database per test)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from kitty_mock_saas.store.postgres import PostgresStore
from kitty_mock_saas.store.schemas import sandbox_world_schema
from kitty_mock_saas.tracker_fakes.world import TrackerWorld, seed_default_world
from kitty_mock_saas.tracker_fakes.world.overlay_postgres import create_overlay, drop_overlay
from kitty_mock_saas.tracker_fakes.world.overlay_schema import OWN_ROWID_BASE


@pytest.fixture
def base(postgres_url: str) -> Iterator[Any]:
    """The mock's world in `kitty_world` (its migrations, its seed), and a connection to it."""
    with TrackerWorld(postgres_url) as world:
        seed_default_world(world)
    conn = psycopg.connect(postgres_url, autocommit=True)
    with conn:
        yield conn


def _sandbox(url: str, base: Any, name: str) -> PostgresStore:
    schema = sandbox_world_schema(name)
    create_overlay(base, schema)
    return PostgresStore(url, schema=schema)


def _titles(store: PostgresStore) -> dict[str, str]:
    """The titles of IAM-42, IAM-43 and IAM-47 (one more than the seed's last)."""
    with store.read() as db:
        rows = db.execute(
            "SELECT key, title FROM tickets WHERE key IN ('IAM-42', 'IAM-43', 'IAM-47') "
            "ORDER BY key"
        )
        return {r[0]: r[1] for r in rows}


SEEDED = {
    "IAM-42": "Rotate signing keys for SSO",
    "IAM-43": "Session timeout configuration per tenant",
}
# IAM-42 and IAM-43 are the 5th and 6th tickets of the seed.
ROWIDS = {"IAM-42": 5, "IAM-43": 6}
CREATE = (
    "INSERT INTO tickets (provider, container_rowid, number, external_id, key, title, "
    "status_name, status_category, created_at, updated_at, scope, written) VALUES "
    "('jira', 1, 47, '10347', 'IAM-47', ?, 'To Do', 'todo', 't1', 't1', 's1', 1) "
)


def test_sandbox_writes_stay_in_its_schema_and_base_changes_show_through(
    postgres_url: str, base: Any
) -> None:
    a = _sandbox(postgres_url, base, "ci-a")
    b = _sandbox(postgres_url, base, "ci-b")
    assert _titles(a) == _titles(b) == SEEDED
    with a.write() as db:
        edited = db.execute("UPDATE tickets SET title = ? WHERE key = ?", ("Only in a", "IAM-42"))
        assert edited.rowcount == 1
        created = db.execute(
            CREATE + "RETURNING rowid, synthetic, labels", ("Created in a",)
        ).fetchone()
        db.execute("DELETE FROM tickets WHERE key = ?", ("IAM-43",))
    # The new row's key is from the own range; omitted columns took the base's defaults.
    assert created[0] >= OWN_ROWID_BASE
    assert (created[1], created[2]) == (0, "[]")
    assert _titles(a) == {"IAM-42": "Only in a", "IAM-47": "Created in a"}
    assert _titles(b) == SEEDED
    base.execute("UPDATE kitty_world.tickets SET title = 'Base edit' WHERE key = 'IAM-43'")
    base.execute("UPDATE kitty_world.tickets SET title = 'Base edit 42' WHERE key = 'IAM-42'")
    assert _titles(b) == {"IAM-42": "Base edit 42", "IAM-43": "Base edit"}
    assert _titles(a) == {"IAM-42": "Only in a", "IAM-47": "Created in a"}
    # A ticket the base numbers like the one a created stays a's (own rows win unique keys).
    base.execute("SET search_path = kitty_world")
    base.execute(CREATE.replace("?", "%s"), ("Created in the base",))
    assert _titles(a)["IAM-47"] == "Created in a"
    assert _titles(b)["IAM-47"] == "Created in the base"
    with a.read() as db:
        logged = {r[0] for r in db.execute("SELECT ticket_rowid FROM text_changes")}
        own = db.execute("SELECT count(*) FROM own_tickets").fetchone()[0]
    # Every own ticket row the text index must follow; the edited copy, the created row and
    # the deletion mark are all the overlay holds.
    assert logged == {ROWIDS["IAM-42"], ROWIDS["IAM-43"], created[0]}
    assert own == 3
    a.close()
    b.close()


def test_dropping_a_sandbox_world_leaves_the_base_and_others(postgres_url: str, base: Any) -> None:
    a = _sandbox(postgres_url, base, "ci-a")
    b = _sandbox(postgres_url, base, "ci-b")
    for store, title in ((a, "In a"), (b, "In b")):
        with store.write() as db:
            db.execute("UPDATE tickets SET title = ? WHERE key = 'IAM-42'", (title,))
    a.close()
    drop_overlay(base, sandbox_world_schema("ci-a"))
    assert _titles(b)["IAM-42"] == "In b"
    base_titles = {
        r[0]: r[1]
        for r in base.execute(
            "SELECT key, title FROM kitty_world.tickets WHERE key IN ('IAM-42', 'IAM-43')"
        )
    }
    assert base_titles == SEEDED
    # Made again, it starts empty; running the generator twice is harmless.
    again = _sandbox(postgres_url, base, "ci-a")
    create_overlay(base, sandbox_world_schema("ci-a"))
    assert _titles(again) == SEEDED
    again.close()
    b.close()
