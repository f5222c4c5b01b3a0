"""The state's schema migrations on both backends: an empty database and one at the previous
version are brought to the newest; a file of the release before migrations is adopted, not
refused; a database a newer mock upgraded is refused; `kitty-mock-saas db status|upgrade`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from kitty_mock_saas.cli import main
from kitty_mock_saas.fixtures import load_fixtures
from kitty_mock_saas.state import StateVersionError, directory, open_state
from kitty_mock_saas.state.db import PREVIOUS_RELEASE_VERSION, Database, state_migrations
from kitty_mock_saas.store import SQLITE
from kitty_mock_saas.store.migrations import run_script, upgrade

NOW = "2026-12-06T00:00:00Z"
NEWEST = len(state_migrations(SQLITE))

pytestmark = pytest.mark.both_backends


@pytest.fixture
def where(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    """`open_state` arguments of an empty state database on `backend`."""
    if backend == "sqlite":
        return {"state_path": str(tmp_path / "state.db")}
    return {"database_url": request.getfixturevalue("postgres_url")}


def _open(where: dict[str, str], *, migrate: bool = True) -> Database:
    return open_state(where.get("state_path", ":memory:"), database_url=where.get("database_url"),
                      migrate=migrate)  # fmt: skip


def _versions(db: Database) -> list[int]:
    with db.read() as conn:
        rows = conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    return [int(r[0]) for r in rows]


def _has_index(db: Database, name: str) -> bool:
    query = (
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?"
        if db.dialect.name == "sqlite"
        else "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ?"
    )
    with db.read() as conn:
        return conn.execute(query, (name,)).fetchone() is not None


def test_an_empty_database_gets_every_migration(where: dict[str, str]) -> None:
    db = _open(where)
    assert NEWEST >= 2  # there is a previous version to upgrade from
    assert _versions(db) == list(range(1, NEWEST + 1))
    assert _has_index(db, "events_by_type")
    assert directory.seed(db, load_fixtures(None))
    db.close()


def test_a_database_at_the_previous_version_is_upgraded_keeping_its_rows(
    where: dict[str, str],
) -> None:
    older = _open(where, migrate=False)
    upgrade(older, state_migrations(older.dialect)[:-1], where="test", now=NOW)
    directory.seed(older, load_fixtures(None))
    assert _versions(older) == list(range(1, NEWEST))
    assert not _has_index(older, "events_by_type")
    older.close()
    db = _open(where)
    assert _versions(db) == list(range(1, NEWEST + 1))
    assert _has_index(db, "events_by_type")
    assert directory.user_by_token(db, "tok-alice") is not None  # the seeded rows are still there
    db.close()


def test_a_database_a_newer_mock_upgraded_is_refused(where: dict[str, str]) -> None:
    db = _open(where)
    with db.write() as conn:
        conn.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            (NEWEST + 1, "from_the_future", NOW),
        )
    db.close()
    with pytest.raises(StateVersionError, match=f"schema version {NEWEST + 1}"):
        _open(where)


def _previous_release_file(path: Path, *, journal_columns: bool = True) -> None:
    """A state file as the release before migrations wrote it: the version-1 tables, `PRAGMA
    user_version = 2`, no ledger (older files of it lack three journal columns)."""
    conn = sqlite3.connect(path, isolation_level=None)
    run_script(conn, state_migrations(SQLITE)[0].script, SQLITE)
    if not journal_columns:
        for column in ("operation_id", "headers", "body"):
            conn.execute(f"ALTER TABLE request_log DROP COLUMN {column}")
    conn.execute("INSERT INTO meta (key, value) VALUES ('seeded', '1')")
    conn.execute("INSERT INTO users VALUES ('u1', 'old@example.com', 'Old', 'tok-old', NULL)")
    conn.execute(f"PRAGMA user_version = {PREVIOUS_RELEASE_VERSION}")
    conn.close()


@pytest.mark.parametrize("journal_columns", [True, False])
def test_a_previous_release_file_is_adopted_and_upgraded(
    tmp_path: Path, journal_columns: bool
) -> None:
    path = tmp_path / "old.db"
    _previous_release_file(path, journal_columns=journal_columns)
    db = open_state(str(path))
    assert _versions(db) == list(range(1, NEWEST + 1))
    assert _has_index(db, "events_by_type")
    user = directory.user_by_token(db, "tok-old")
    assert user is not None
    assert user.email == "old@example.com"
    with db.write() as conn:  # the journal has every column the mock writes
        conn.execute(
            "INSERT INTO request_log (at, method, path, status, latency_ms, operation_id,"
            " headers, body) VALUES ('t', 'GET', '/', 200, 1.0, 'op', '{}', NULL)"
        )
    db.close()


def test_a_file_of_an_older_release_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "older.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with pytest.raises(StateVersionError, match="delete the file"):
        open_state(str(path))


def _db_cli(where: dict[str, str], *args: str) -> list[str]:
    if "database_url" in where:
        return ["db", *args, "--database", where["database_url"]]
    return ["db", *args, "--state", where["state_path"]]


def test_db_status_and_upgrade_from_the_command_line(
    where: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    older = _open(where, migrate=False)
    upgrade(older, state_migrations(older.dialect)[:1], where="test", now=NOW)
    older.close()
    assert main([*_db_cli(where, "status"), "--json"]) == 1  # something is pending
    status = json.loads(capsys.readouterr().out)
    assert (status["version"], status["pending"]) == (1, ["0002_events_by_type"])
    assert main(_db_cli(where, "upgrade")) == 0
    assert "applied 0002_events_by_type" in capsys.readouterr().out
    assert main(_db_cli(where, "status")) == 0
    assert f"schema version {NEWEST}; up to date" in capsys.readouterr().out


def test_db_status_without_a_database_or_with_an_unreachable_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["db", "status"]) == 2
    assert "--state FILE or --database URL" in capsys.readouterr().err
    # Nothing listens on port 9 of this host: refused at once.
    assert main(["db", "status", "--database", "postgresql://kitty:pw@127.0.0.1:9/x"]) == 4
    err = capsys.readouterr().err
    assert "unreachable" in err
    assert "pw" not in err


def test_state_text_sorts_by_code_point_on_postgresql_as_on_sqlite(postgres_url: str) -> None:
    """Whatever the database's default collation (en_US in many installations), the state's
    listings sort as SQLite's BINARY does: every text column is COLLATE "C"."""
    db = open_state(database_url=postgres_url)
    with db.read() as conn:
        rows = conn.execute(
            "SELECT table_name, column_name, collation_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND data_type = 'text'"
            " AND table_name <> 'schema_migrations'"
        ).fetchall()
    db.close()
    assert len(rows) > 50
    assert [tuple(r) for r in rows if r["collation_name"] != "C"] == []
