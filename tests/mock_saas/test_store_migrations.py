"""The migration runner on SQLite stores: forward only, once each, newer databases refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from kitty_mock_saas.store import SQLITE
from kitty_mock_saas.store.migrations import (
    MigrationError,
    migrations_for,
    status,
    upgrade,
)
from kitty_mock_saas.store.sqlite import SqliteStore

NOW = "2026-12-06T00:00:00Z"


def _write(root: Path, name: str, script: str) -> None:
    folder = root / "things" / "sqlite"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(script)


def test_pending_scripts_run_once_in_order(tmp_path: Path) -> None:
    _write(tmp_path, "0001_things.sql", "CREATE TABLE things (id INTEGER PRIMARY KEY);\n")
    # A trigger body holds semicolons: statements are split where SQLite says they end.
    _write(
        tmp_path,
        "0002_audit.sql",
        "ALTER TABLE things ADD COLUMN name TEXT;\n"
        "CREATE TABLE audit (thing INTEGER);\n"
        "CREATE TRIGGER things_audit AFTER INSERT ON things BEGIN\n"
        "  INSERT INTO audit VALUES (new.id);\nEND;\n",
    )
    store = SqliteStore(str(tmp_path / "db.sqlite"))
    known = migrations_for("things", SQLITE, root=tmp_path)
    assert [m.version for m in upgrade(store, known[:1], where="db", now=NOW)] == [1]
    assert status(store, known, where="db").current == 1
    assert [m.name for m in upgrade(store, known, where="db", now=NOW)] == ["audit"]
    assert upgrade(store, known, where="db", now=NOW) == []
    with store.write() as conn:
        conn.execute("INSERT INTO things (name) VALUES ('x')")
    with store.read() as conn:
        assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 1
        rows = conn.execute("SELECT version, name FROM schema_migrations ORDER BY 1").fetchall()
    assert [tuple(r) for r in rows] == [(1, "things"), (2, "audit")]


def test_a_database_a_newer_mock_upgraded_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "0001_things.sql", "CREATE TABLE things (id INTEGER PRIMARY KEY);\n")
    _write(tmp_path, "0002_more.sql", "CREATE TABLE more (id INTEGER PRIMARY KEY);\n")
    store = SqliteStore(str(tmp_path / "db.sqlite"))
    known = migrations_for("things", SQLITE, root=tmp_path)
    upgrade(store, known, where="db", now=NOW)
    with pytest.raises(MigrationError, match="schema version 2, which a newer mock wrote"):
        upgrade(store, known[:1], where="db", now=NOW)


def test_a_failing_script_leaves_nothing_half_applied(tmp_path: Path) -> None:
    _write(
        tmp_path, "0001_things.sql", "CREATE TABLE things (id INTEGER);\nCREATE TABLE things (x);\n"
    )
    store = SqliteStore(str(tmp_path / "db.sqlite"))
    with pytest.raises(MigrationError, match="0001_things failed"):
        upgrade(store, migrations_for("things", SQLITE, root=tmp_path), where="db", now=NOW)
    with store.read() as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "things" not in tables


def test_gaps_in_the_numbering_are_refused(tmp_path: Path) -> None:
    _write(tmp_path, "0001_a.sql", "SELECT 1;")
    _write(tmp_path, "0003_c.sql", "SELECT 1;")
    with pytest.raises(MigrationError, match="without gaps"):
        migrations_for("things", SQLITE, root=tmp_path)
