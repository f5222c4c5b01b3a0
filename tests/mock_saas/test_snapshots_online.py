"""Snapshots of a state file are taken and put back while other requests go on.

An outside writer holds the database's write lock, so a save or a restore has to wait for it
part-way; while it waits, this process must still answer reads. Nothing is timed: the evidence is
that the reads finish while the snapshot call is still waiting, and that it completes after.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings
from starlette.testclient import TestClient

from tests.client.fakes import EXAMPLES
from tests.mock_saas.conftest import ADMIN, ALICE, BIND, SEARCH, WEB_127, bind_body

LINKS = "/__admin/origin-links"
MISSION_2 = "01JD8X4ZQK5M7N9P2R3S4T5V6X"
BOUND = 30.0  # seconds any one wait below may take before the test gives up


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "mock.db"


@pytest.fixture
def client(state: Path) -> Iterator[TestClient]:
    with TestClient(create_app(MockSettings(state_path=str(state)))) as client:
        yield client


def _in_thread(call: Callable[[], httpx.Response]) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(call()), daemon=True)
    thread.start()
    return thread, out


def _wait_for(condition: Callable[[], bool]) -> None:
    done = threading.Event()
    for _ in range(int(BOUND / 0.01)):
        if condition():
            return
        done.wait(0.01)
    raise AssertionError("the snapshot call never got to the point where it waits")


def _reads_answer(client: TestClient) -> list[int]:
    """A search and an admin read, each in a thread, each given `BOUND` seconds."""
    calls = [
        lambda: client.post(
            SEARCH, json=EXAMPLES["searchIssues:request:text_search"], headers=ALICE
        ),
        lambda: client.get(LINKS, headers=ADMIN),
    ]
    statuses = []
    for call in calls:
        thread, out = _in_thread(call)
        thread.join(BOUND)
        assert not thread.is_alive(), "a read waited for the snapshot"
        statuses.append(out[0].status_code)
    return statuses


def _open_in_this_process(path: Path) -> bool:
    fds = Path("/proc/self/fd")
    return any(os.path.realpath(fd) == str(path) for fd in fds.iterdir())


def test_a_restore_lets_other_requests_read_while_it_waits(client: TestClient, state: Path) -> None:
    assert client.post(BIND, json=bind_body(), headers=ALICE).status_code == 200
    assert client.put("/__admin/snapshots/one-link", headers=ADMIN).status_code == 201
    second = bind_body(mission_id=MISSION_2, **WEB_127)
    assert client.post(BIND, json=second, headers=ALICE).status_code == 200

    outside = sqlite3.connect(state, isolation_level=None)
    outside.execute("BEGIN IMMEDIATE")  # the restore must wait for this writer
    try:
        restore, restored = _in_thread(
            lambda: client.post("/__admin/snapshots/one-link/restore", headers=ADMIN)
        )
        saved = state.parent / "mock.db.snapshots" / "one-link.sqlite"
        _wait_for(lambda: _open_in_this_process(saved))  # attached: the restore has begun
        assert _reads_answer(client) == [200, 200]
        assert restore.is_alive()  # the reads finished while the restore waited
    finally:
        outside.execute("ROLLBACK")
        outside.close()
    restore.join(BOUND)
    assert restored[0].status_code == 200
    links = client.get(LINKS, headers=ADMIN).json()["origin_links"]
    assert [link["external_issue_key"] for link in links] == ["WEB-123"]


def test_a_save_lets_other_requests_read_while_it_waits(client: TestClient, state: Path) -> None:
    assert client.post(BIND, json=bind_body(), headers=ALICE).status_code == 200
    folder = state.parent / "mock.db.snapshots"
    outside = sqlite3.connect(state, isolation_level=None)
    outside.execute("BEGIN IMMEDIATE")  # the save copies, then waits to list the snapshot
    try:
        save, saved = _in_thread(lambda: client.put("/__admin/snapshots/kept", headers=ADMIN))
        _wait_for(lambda: folder.is_dir() and any(p.stat().st_size for p in folder.iterdir()))
        assert _reads_answer(client) == [200, 200]
        assert save.is_alive()
    finally:
        outside.execute("ROLLBACK")
        outside.close()
    save.join(BOUND)
    assert saved[0].status_code == 201
    assert [p.name for p in folder.iterdir()] == ["kept.sqlite"]
    assert oct(folder.stat().st_mode & 0o777) == "0o700"  # the copy holds the users' tokens
    listed = client.get("/__admin/snapshots", headers=ADMIN).json()["snapshots"]
    assert [s["name"] for s in listed] == ["kept"]
