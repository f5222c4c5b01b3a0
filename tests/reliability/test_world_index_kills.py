"""kill -9 during ticket edits never leaves free-text search stale (0 misses, 0 ghosts).

Workers (`tests.reliability.world_editor`) edit one ticket's title in a loop on a world file;
the test kills them with SIGKILL, opens the world again (its start-up catch-up) and searches:
the title SQLite holds is found, the titles before it are not. One test stops a worker exactly
between SQLite's commit and the text index's, by holding the index's writer lock itself.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import tantivy
from kitty_contracts import Provider
from kitty_mock_saas.tracker_fakes.world import TrackerWorld, seed_default_world
from kitty_mock_saas.tracker_fakes.world.text_index import (
    WRITER_HEAP_BYTES,
    IndexedTicket,
    TicketTextIndex,
    query_words,
)

from tests.reliability.processes import ROOT
from tests.reliability.world_editor import title

KEY = "WEB-123"
TEAM = "8f6b2c1e-4a5d-4e2b-9c3f-1a2b3c4d5e6f"  # Linear team WEB of the default world
KILLS = 4  # per worker count: bounded, each round a fresh process or two
WAIT_S = 30.0


def _editor(world: Path, name: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.world_editor", str(world), KEY, name],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        start_new_session=True,
    )  # fmt: skip


def _read_lines(process: subprocess.Popen[str], count: int) -> list[str]:
    """The first `count` lines `process` prints, within `WAIT_S`."""
    lines: list[str] = []
    stdout = process.stdout
    assert stdout is not None

    def read() -> None:
        while len(lines) < count and (line := stdout.readline()):
            lines.append(line.strip())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(WAIT_S)
    assert len(lines) == count, f"the editor printed {lines} in {WAIT_S} s"
    return lines


def _kill(process: subprocess.Popen[str]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(WAIT_S)
    if process.stdout is not None:
        process.stdout.close()


def _found(world: TrackerWorld, text: str) -> list[str]:
    hits = world.search(Provider.linear, TEAM, text, account_id="lin-alice", limit=10)
    return [ticket.key for ticket in hits.tickets]


def _check(path: Path, names: list[str]) -> None:
    """Reopened, the world finds the ticket by its title in SQLite and by no earlier one."""
    with TrackerWorld(path) as world:
        ticket = world.ticket(Provider.linear, KEY)
        assert ticket is not None
        assert _found(world, ticket.title) == [KEY], f"miss: {ticket.title!r} is not found"
        match = re.fullmatch(r"edited (\w+)v(\d+)", ticket.title)
        if match is None:
            return
        current = (match.group(1), int(match.group(2)))
        for name in names:
            newest = current[1] if name == current[0] else current[1] + 3
            for number in range(max(1, newest - 3), newest + 3):
                if (name, number) != current:
                    assert _found(world, title(name, number)) == [], (
                        f"ghost: {title(name, number)!r} is found, the title is {ticket.title!r}"
                    )


@pytest.mark.parametrize("workers", [1, 2])
def test_kill_9_during_edits_leaves_no_miss_and_no_ghost(tmp_path: Path, workers: int) -> None:
    path = tmp_path / "world.sqlite"
    with TrackerWorld(path) as world:  # made once, as `serve` does before its workers start
        seed_default_world(world)
    chance = random.Random(workers)
    names = [f"w{index}" for index in range(workers)]
    for _ in range(KILLS):
        editors = [_editor(path, name) for name in names]
        try:
            for editor in editors:
                _read_lines(editor, 2 + chance.randrange(8))  # "ready", then some edits
        finally:
            for editor in editors:
                _kill(editor)
        _check(path, names)


def _writer_of(path: Path) -> tantivy.IndexWriter:
    """The index's writer, taken as soon as the editor lets go of it (bounded)."""
    index = tantivy.Index.open(f"{path}.text")
    for _ in range(int(WAIT_S / 0.01)):
        try:
            return index.writer(WRITER_HEAP_BYTES, 1)
        except ValueError as exc:
            if "LockBusy" not in str(exc):
                raise
            threading.Event().wait(0.01)
    pytest.fail("the editor never let go of the index's writer")


def _last_change_in_sqlite(path: Path) -> int:
    # SQLite alone (a TrackerWorld would catch up, and the index's writer is ours).
    probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(probe.execute("SELECT coalesce(max(seq), 0) FROM text_changes").fetchone()[0])
    finally:
        probe.close()


def test_a_crash_between_the_two_commits_is_repaired_at_start(tmp_path: Path) -> None:
    path = tmp_path / "world.sqlite"
    editor = _editor(path, "held")
    try:
        _read_lines(editor, 2)  # ready, and edit 1 indexed
        writer = _writer_of(path)  # from now on the editor's index commits wait
        try:
            applied = TicketTextIndex(Path(f"{path}.text")).changes_through()
            for _ in range(int(WAIT_S / 0.01)):  # the next edit reaches SQLite, then waits
                if _last_change_in_sqlite(path) > applied:
                    break
                threading.Event().wait(0.01)
            else:
                pytest.fail("the next edit never reached SQLite")
            _kill(editor)  # SQLite has an edit the index has not
        finally:
            writer.rollback()
            writer.wait_merging_threads()
    finally:
        if editor.poll() is None:
            _kill(editor)
    with TrackerWorld(path) as world:
        committed = world.ticket(Provider.linear, KEY)
        assert committed is not None
        number = int(committed.title.rsplit("v", 1)[1])
        assert _found(world, committed.title) == [KEY]
        assert _found(world, title("held", number - 1)) == []


def _ticket(rowid: int, title: str) -> IndexedTicket:
    return IndexedTicket(rowid, "ns", title, "", True)


def test_a_commit_killed_after_writing_a_delete_file_does_not_block_the_next(
    tmp_path: Path,
) -> None:
    """A process killed inside tantivy's commit can leave a `.del` file of the commit it never
    finished; the next commit (another worker's, or after a restart) wants that same name."""
    directory = tmp_path / "index"
    index = TicketTextIndex(directory)
    index.add(lambda floor: [[_ticket(1, "clerk auth"), _ticket(2, "billing page")]])
    before = tmp_path / "before"
    shutil.copytree(directory, before)

    def rename_first(floor: int) -> tuple[int, list[int], list[IndexedTicket]]:
        return 1, [1], [_ticket(1, "passkey login")]

    index.apply_changes(rename_first)
    orphans = {p.name: p.read_bytes() for p in directory.iterdir() if p.suffix == ".del"}
    assert orphans  # the commit wrote one: the state a kill in the middle leaves it in
    managed = (directory / ".managed.json").read_bytes()
    del index
    # As killed: the files of the commit are there (and known), its meta.json is not.
    shutil.rmtree(directory)
    shutil.copytree(before, directory)
    for name, data in orphans.items():
        (directory / name).write_bytes(data)
    (directory / ".managed.json").write_bytes(managed)

    again = TicketTextIndex(directory)
    assert again.apply_changes(rename_first) == 1
    query = again.query(query_words("passkey"), ["ns"], "title")
    assert query is not None
    hits, _ = again.top(query, 5)
    assert hits == [1]
