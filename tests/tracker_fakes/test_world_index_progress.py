"""A text index rebuilt from SQLite at start says how far it got, so a long start is never silent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from kitty_mock_saas.tracker_fakes.world import TrackerWorld, generate_corpus, seed_default_world
from kitty_mock_saas.world import _index_progress


def test_a_lost_index_is_rebuilt_with_progress_and_an_intact_one_is_quiet(tmp_path: Path) -> None:
    path = tmp_path / "world.sqlite"
    with TrackerWorld(path) as world:
        seed_default_world(world)
        generate_corpus(world, 1_200, seed=3)
        tickets = world.count_tickets()
    shutil.rmtree(f"{path}.text")

    heard: list[tuple[int, int]] = []
    with TrackerWorld(path, index_progress=lambda done, total: heard.append((done, total))):
        pass
    assert heard[-1] == (tickets, tickets)
    assert [done for done, _ in heard] == sorted(done for done, _ in heard)

    again: list[tuple[int, int]] = []
    with TrackerWorld(path, index_progress=lambda done, total: again.append((done, total))):
        pass
    assert again == []


def test_the_mock_announces_a_long_rebuild_by_tenths(capsys: pytest.CaptureFixture[str]) -> None:
    progress = _index_progress()
    for done in range(5_000, 50_001, 5_000):
        progress(done, 50_000)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "text index: rebuilding it for 50,000 tickets"
    assert lines[1:] == [
        f"text index: {n:,} of 50,000 tickets indexed" for n in range(5_000, 50_000, 5_000)
    ]


def test_a_short_rebuild_says_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    progress = _index_progress()
    progress(500, 1_000)
    progress(1_000, 1_000)
    assert capsys.readouterr().err == ""
