"""The tracker world's tables come from its migrations, on both backends; a world file of the
release before migrations is adopted, one written by a newer mock refused;
`kitty-mock-saas db status|upgrade` shows and applies them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from kitty_contracts import Provider
from kitty_mock_saas.cli import main
from kitty_mock_saas.store import POSTGRESQL, SQLITE
from kitty_mock_saas.store.migrations import MigrationError, migrations_for, upgrade
from kitty_mock_saas.tracker_fakes.world import TicketChanges, TrackerWorld, seed_default_world
from kitty_mock_saas.tracker_fakes.world.schema import COLUMNS_ADDED, open_world_store
from kitty_mock_saas.tracker_fakes.world.seed import ACME_IAM

J = Provider.jira
BEFORE_MIGRATIONS = Path(__file__).with_name("world_before_migrations.sql")


def _file_before_migrations(path: Path, *, first_release: bool) -> None:
    """A world file as the release before migrations left it: its tables, a container, a
    ticket and a label, no ledger; `first_release` without the columns later releases added."""
    db = sqlite3.connect(path)
    db.executescript(BEFORE_MIGRATIONS.read_text(encoding="utf-8"))
    if first_release:
        for table, column, _declaration in COLUMNS_ADDED:
            db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    db.execute(
        "INSERT INTO containers (provider, key, external_id, name, site_url) "
        "VALUES ('jira', 'IAM', ?, 'Identity and Access', 'https://acme.atlassian.net')",
        (ACME_IAM.id,),
    )
    db.execute(
        "INSERT INTO tickets (provider, container_rowid, number, external_id, key, title, "
        "status_name, status_category, created_at, updated_at, scope) VALUES ('jira', 1, 42, "
        "'10342', 'IAM-42', 'Rotate signing keys for SSO', 'In Review', 'in_progress', "
        "'2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00', 's1')"
    )
    db.execute(
        "INSERT INTO labels (provider, container_rowid, external_id, name, color) "
        "VALUES ('jira', 1, 'Rollout', 'Rollout', 'ededed')"
    )
    db.commit()
    db.close()


@pytest.mark.parametrize("first_release", [False, True], ids=["last", "first"])
def test_a_world_file_before_migrations_is_adopted_and_upgraded(
    tmp_path: Path, first_release: bool
) -> None:
    path = tmp_path / "old.sqlite"
    _file_before_migrations(path, first_release=first_release)
    with TrackerWorld(path) as world:
        ticket = world.ticket(J, "IAM-42")
        assert ticket is not None
        assert (ticket.title, ticket.labels, ticket.assignee) == (
            "Rotate signing keys for SSO",
            (),
            None,
        )
        # Found by free text: the index was built from the adopted file.
        hits = world.search(J, ACME_IAM.id, "signing", account_id="acc-alice", limit=5)
        assert [t.key for t in hits.tickets] == ["IAM-42"]
        # The label is found whatever the case, as the old case-insensitive column found it.
        edited = world.edit_ticket(J, "IAM-42", TicketChanges.of(labels=["rollout"]))
        assert edited is not None
        assert edited.labels == ("Rollout",)
        seed_default_world(world)
        assert world.ticket(J, "IAM-43") is not None
    with sqlite3.connect(path) as db:
        ledger = db.execute("SELECT version, name FROM schema_migrations").fetchall()
    assert ledger == [(1, "world")]
    with TrackerWorld(path) as reopened:
        assert reopened.ticket(J, "IAM-42").labels == ("Rollout",)  # type: ignore[union-attr]


def test_a_world_a_newer_mock_upgraded_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "world.sqlite"
    TrackerWorld(path).close()
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) "
            "VALUES (99, 'from_the_future', '2030-01-01')"
        )
    with pytest.raises(MigrationError, match="newer mock"):
        TrackerWorld(path)


def test_every_migration_is_applied_once_on_each_backend(
    world_location: str, tmp_path: Path
) -> None:
    # A world that outlives its first opening: a file for SQLite.
    location = str(tmp_path / "world.sqlite") if world_location == ":memory:" else world_location
    with TrackerWorld(location) as world:
        seed_default_world(world)
    with TrackerWorld(location) as reopened:  # nothing runs twice
        assert reopened.ticket(J, "IAM-42") is not None
    store = open_world_store(location)
    try:
        with store.read() as db:
            applied = [
                tuple(row) for row in db.execute("SELECT version, name FROM schema_migrations")
            ]
    finally:
        store.close()
    assert applied == [(m.version, m.name) for m in migrations_for("world", store.dialect)]


# -- kitty-mock-saas db status|upgrade -------------------------------------------------------


def _db_cli(world_location: str, tmp_path: Path, *args: str) -> list[str]:
    """`db` arguments naming the world `serve` would use: beside a state file, or in the
    state's PostgreSQL database."""
    if world_location == ":memory:":
        return ["db", *args, "--json", "--state", str(tmp_path / "state.db")]
    return ["db", *args, "--json", "--database", world_location]


def _world_report(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(capsys.readouterr().out)["world"]
    return report


def _location(world_location: str, tmp_path: Path) -> str:
    return str(tmp_path / "state.db.world") if world_location == ":memory:" else world_location


def test_db_status_and_upgrade_bring_an_empty_world_to_the_newest_version(
    world_location: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    known = migrations_for("world", SQLITE if world_location == ":memory:" else POSTGRESQL)
    every = [f"{m.version:04d}_{m.name}" for m in known]
    assert main(_db_cli(world_location, tmp_path, "status")) == 1
    report = _world_report(capsys)
    assert (report["version"], report["pending"]) == (0, every)
    assert main(_db_cli(world_location, tmp_path, "upgrade")) == 0
    report = _world_report(capsys)
    assert report["note"] == f"applied {', '.join(every)}"
    assert main(_db_cli(world_location, tmp_path, "status")) == 0
    report = _world_report(capsys)
    assert (report["version"], report["pending"], report["note"]) == (len(known), [], "up to date")
    with TrackerWorld(_location(world_location, tmp_path)) as world:  # serve's world, ready
        seed_default_world(world)
        assert world.ticket(J, "IAM-42") is not None


def test_db_upgrade_brings_a_world_at_the_previous_version_to_the_newest(
    postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_world_store(postgres_url)
    known = migrations_for("world", store.dialect)
    assert len(known) >= 2  # there is a previous version to upgrade from
    upgrade(store, known[:-1], where="test", now="2026-12-06T00:00:00Z")
    store.close()
    assert main(_db_cli(postgres_url, tmp_path, "status")) == 1
    report = _world_report(capsys)
    newest = f"{known[-1].version:04d}_{known[-1].name}"
    assert (report["version"], report["pending"]) == (len(known) - 1, [newest])
    assert main(_db_cli(postgres_url, tmp_path, "upgrade")) == 0
    assert _world_report(capsys)["note"] == f"applied {newest}"
    assert main(_db_cli(postgres_url, tmp_path, "status")) == 0
    assert _world_report(capsys)["version"] == len(known)


def test_db_status_leaves_a_world_file_before_migrations_for_upgrade_to_adopt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "state.db.world"
    _file_before_migrations(path, first_release=True)
    assert main(_db_cli(":memory:", tmp_path, "status")) == 1
    assert _world_report(capsys)["pending"] == ["0001_world"]
    with sqlite3.connect(path) as db:  # no ledger written: upgrade still adopts the file
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "schema_migrations" not in tables
    assert main(_db_cli(":memory:", tmp_path, "upgrade")) == 0
    assert _world_report(capsys)["note"] == "applied 0001_world"
    with TrackerWorld(path) as world:
        edited = world.edit_ticket(J, "IAM-42", TicketChanges.of(labels=["rollout"]))
        assert edited is not None
        assert edited.labels == ("Rollout",)  # the columns later releases added are there


def test_db_status_refuses_a_world_a_newer_mock_upgraded(
    world_location: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    TrackerWorld(_location(world_location, tmp_path)).close()
    store = open_world_store(_location(world_location, tmp_path))
    with store.write() as db:
        db.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) "
            "VALUES (99, 'from_the_future', '2030-01-01')"
        )
    store.close()
    assert main(_db_cli(world_location, tmp_path, "status")) == 2
    assert "newer mock" in capsys.readouterr().err
