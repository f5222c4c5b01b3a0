"""Remembered directory lookups never outlive a change: here, in another worker, on reset."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from kitty_mock_saas.app import create_app
from kitty_mock_saas.fixtures import load_fixtures
from kitty_mock_saas.read_memo import request_scope
from kitty_mock_saas.settings import MockSettings
from kitty_mock_saas.state import Database, directory, open_state

from .conftest import ADMIN, ALICE, SEARCH

ALICE_ID = "alice@acme.example"
TEXT = {"provider": "linear", "project_slug": "acme-web", "query_text": "Clerk auth"}


def _seeded(path: str) -> Database:
    db = open_state(path)
    directory.seed(db, load_fixtures(MockSettings().fixtures_path))
    return db


def test_a_write_here_drops_what_was_remembered() -> None:
    db = _seeded(":memory:")
    assert directory.user_by_token(db, "tok-alice") is not None
    assert directory.linked_token(db, ALICE_ID, "jira") is not None
    with db.write() as conn:
        conn.execute("UPDATE users SET token = 'tok-new' WHERE token = 'tok-alice'")
        conn.execute(
            "DELETE FROM user_links WHERE user_id = 'alice@acme.example' AND provider = 'jira'"
        )
    assert directory.user_by_token(db, "tok-alice") is None
    assert directory.user_by_token(db, "tok-new") is not None
    assert directory.linked_token(db, ALICE_ID, "jira") is None


def test_a_rolled_back_write_drops_what_was_read_inside_it() -> None:
    db = _seeded(":memory:")
    try:
        with db.write() as conn:
            conn.execute("UPDATE users SET token = 'tok-new' WHERE token = 'tok-alice'")
            assert directory.user_by_token(db, "tok-new") is not None
            raise RuntimeError
    except RuntimeError:
        pass
    assert directory.user_by_token(db, "tok-new") is None
    assert directory.user_by_token(db, "tok-alice") is not None


def test_another_workers_write_drops_what_was_remembered(tmp_path: Path) -> None:
    path = str(tmp_path / "state.sqlite3")
    mine, other = _seeded(path), open_state(path)
    team = directory.team_of_member(mine, ALICE_ID, "acme")
    assert team is not None
    assert directory.origin_providers(mine, team.id) == ["github", "jira", "linear"]
    assert directory.find_mapping(
        mine, team.id, "linear", project_slug="acme-web", binding_ref=None
    )
    with other.write() as conn:
        conn.execute("DELETE FROM team_origin_providers WHERE provider = 'github'")
        conn.execute("DELETE FROM resource_mappings WHERE project_slug = 'acme-web'")
        conn.execute("DELETE FROM memberships WHERE user_id = 'alice@acme.example'")
    assert directory.origin_providers(mine, team.id) == ["jira", "linear"]
    assert not directory.find_mapping(
        mine, team.id, "linear", project_slug="acme-web", binding_ref=None
    )
    assert directory.team_of_member(mine, ALICE_ID, "acme") is None


def test_remembered_lists_are_copies() -> None:
    db = _seeded(":memory:")
    team = directory.team_of_member(db, ALICE_ID, "acme")
    assert team is not None
    directory.origin_providers(db, team.id).append("made-up")
    assert "made-up" not in directory.origin_providers(db, team.id)


@pytest.mark.both_backends
def test_reset_and_restore_are_seen_at_once(mock: TestClient) -> None:
    assert mock.post(SEARCH, headers=ALICE, json=TEXT).status_code == 200
    assert mock.put("/__admin/snapshots/before", headers=ADMIN).status_code in (200, 201)
    runtime = mock.app.state.runtime  # type: ignore[attr-defined]
    with runtime.db.write() as conn:
        conn.execute("DELETE FROM resource_mappings")
    assert mock.post(SEARCH, headers=ALICE, json=TEXT).status_code == 404
    assert mock.post("/__admin/snapshots/before/restore", headers=ADMIN).status_code == 200
    assert mock.post(SEARCH, headers=ALICE, json=TEXT).status_code == 200
    with runtime.db.write() as conn:
        conn.execute("DELETE FROM user_links")
    assert mock.post(SEARCH, headers=ALICE, json=TEXT).status_code == 403
    assert mock.post("/__admin/reset", headers=ADMIN).status_code == 200
    assert mock.post(SEARCH, headers=ALICE, json=TEXT).status_code == 200


def test_a_request_asks_once_and_the_next_one_sees_the_other_worker(tmp_path: Path) -> None:
    path = str(tmp_path / "state.sqlite3")
    mine, other = _seeded(path), open_state(path)
    with request_scope():
        assert directory.user_by_token(mine, "tok-alice") is not None
        with other.write() as conn:
            conn.execute("UPDATE users SET token = 'tok-new' WHERE token = 'tok-alice'")
        # This request looked before the other worker's commit: it keeps what it saw...
        assert directory.user_by_token(mine, "tok-alice") is not None
        with mine.write() as conn:  # ...until this process commits
            conn.execute("UPDATE users SET name = 'Alice' WHERE token = 'tok-new'")
        assert directory.user_by_token(mine, "tok-alice") is None
    with other.write() as conn:
        conn.execute("UPDATE users SET token = 'tok-alice' WHERE token = 'tok-new'")
    with request_scope():  # the next request asks again
        assert directory.user_by_token(mine, "tok-alice") is not None


def test_two_workers_on_one_state_file_see_each_others_reset(tmp_path: Path) -> None:
    settings = MockSettings(state_path=str(tmp_path / "state.sqlite3"))
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        assert two.post(SEARCH, headers=ALICE, json=TEXT).status_code == 200
        runtime = one.app.state.runtime  # type: ignore[attr-defined]
        with runtime.db.write() as conn:
            conn.execute("DELETE FROM user_links")
        assert two.post(SEARCH, headers=ALICE, json=TEXT).status_code == 403
        assert one.post("/__admin/reset", headers=ADMIN).status_code == 200
        assert two.post(SEARCH, headers=ALICE, json=TEXT).status_code == 200
