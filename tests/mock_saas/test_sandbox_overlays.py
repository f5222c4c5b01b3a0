"""Sandbox worlds cost what sandboxes change: 64 sandboxes with one ticket edit each, over a
10,000-ticket world, store megabytes between them (a copy of the world each was ~64 times the
world), and each sees its own edit only."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from kitty_mock_saas.admin_client import MockAdmin
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings

SANDBOXES = 64
CORPUS = 10_000


def _bytes(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        total += sum(f.stat().st_size for f in files)
    return total


def test_64_sandboxes_with_one_edit_each_store_megabytes(tmp_path: Path) -> None:
    state = tmp_path / "mock.db"
    settings = MockSettings(state_path=str(state), corpus=CORPUS, max_sandboxes=SANDBOXES)
    with TestClient(create_app(settings), client=("127.0.0.1", 5000)) as mock:
        for n in range(SANDBOXES):
            MockAdmin(mock, sandbox=f"job-{n}").tickets.update(
                "linear", "WEB-123", title=f"Edited in job-{n}"
            )
        world = _bytes([p for p in tmp_path.glob("mock.db.world*")])
        overlays = _bytes(list((tmp_path / "mock.db.sandboxes").glob("*.world*")))
        assert len(list((tmp_path / "mock.db.sandboxes").glob("*.world"))) == SANDBOXES
        # Measured ~100 KB per overlay (an SQLite file of a dozen near-empty tables, its WAL
        # and shared-memory file, a one-document text index); a copy was the world's size each.
        assert overlays < 16 * 2**20
        assert overlays < SANDBOXES * world / 40
        for n in range(SANDBOXES):
            seen = MockAdmin(mock, sandbox=f"job-{n}").tickets.get("linear", "WEB-123")
            assert seen["title"] == f"Edited in job-{n}"
        untouched = MockAdmin(mock).tickets.get("linear", "WEB-123")
        assert untouched["title"] == "Add Clerk auth"
        # Deleting a sandbox deletes its overlay, and only its.
        MockAdmin(mock).delete_sandbox("job-0")
        assert not list((tmp_path / "mock.db.sandboxes").glob("job-0.*world*"))
        assert len(list((tmp_path / "mock.db.sandboxes").glob("*.world"))) == SANDBOXES - 1
        seen = MockAdmin(mock, sandbox="job-1").tickets.get("linear", "WEB-123")
        assert seen["title"] == "Edited in job-1"
