"""Processes racing to bind one mission to different tickets: exactly one origin wins.

The mock runs as a real process (one worker, then two workers on a shared state file). Each
client process searches its tickets first, then all bind at once on a go signal. The winner's
ticket is the one origin in the SaaS and in `meta.json`; every loser gets
OriginAlreadyBoundError; replaying a bind with its Idempotency-Key returns the stored answer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from kitty_contracts import OriginCandidate
from kitty_origin import read_meta
from kitty_origin.missions import create_mission_from_candidate

from tests.reliability.processes import MockServer, Worker, write_linear_repo

# A mission created without the SaaS (the tests bind it themselves).
SPEC_DRAFT = "# A mission\n"

pytestmark = pytest.mark.slow
BIND = "/api/v1/tracker/mission-origin/bind/"
# Linear WEB tickets of the default world that alice may see.
TICKETS = [f"WEB-{n}" for n in range(118, 130)]


def new_mission(repo: Path, n: int) -> Path:
    candidate = OriginCandidate.model_validate(
        {
            "external_issue_id": f"placeholder-{n}",
            "external_issue_key": f"RACE-{n}",
            "title": f"Race {n}",
            "status": "Todo",
            "status_category": "todo",
            "url": f"https://linear.app/acme/issue/RACE-{n}",
            "match_type": "exact",
        }
    )
    return create_mission_from_candidate(repo, candidate, spec_markdown=SPEC_DRAFT).feature_dir


def race(mock: MockServer, repo: Path, go: Path, plans: list[list[str]]) -> list[dict[str, Any]]:
    """Start one worker per plan, wait until all searched, say go, collect every bind."""
    workers = [Worker("bind", mock.url, str(repo), str(go), *plan) for plan in plans]
    try:
        for worker in workers:
            assert worker.next()["ready"] == len(plans[workers.index(worker)])
        go.touch()
        return [line for worker in workers for line in worker.finish()]
    finally:
        for worker in workers:
            worker.kill()


def assert_one_origin(mock: MockServer, feature_dir: Path, binds: list[dict[str, Any]]) -> None:
    winners = [b for b in binds if b["outcome"] == "bound"]
    losers = [b for b in binds if b["outcome"] != "bound"]
    assert len(winners) == 1, binds
    assert {b["outcome"] for b in losers} <= {"OriginAlreadyBoundError"}, losers
    meta = read_meta(feature_dir)
    links = [link for link in mock.origin_links() if link["mission_id"] == meta.mission_id]
    assert len(links) == 1, links
    assert links[0]["origin_link_id"] == winners[0]["origin_link_id"]
    assert links[0]["external_issue_key"] == winners[0]["key"]
    assert meta.origin_ticket.external_issue_key == winners[0]["key"]  # type: ignore[union-attr]


def replay(mock: MockServer, bind: dict[str, Any]) -> httpx.Response:
    key, body = bind["request"]
    headers = {
        "Authorization": "Bearer tok-alice",
        "X-Team-Slug": "acme",
        "Idempotency-Key": key,
    }
    return httpx.post(f"{mock.url}{BIND}", headers=headers, json=body, timeout=10)


def test_nfr_processes_binding_one_mission_to_different_tickets_leave_one_origin(
    tmp_path: Path,
) -> None:
    repo = write_linear_repo(tmp_path / "repo")
    feature_dir = new_mission(repo, 1)
    with MockServer(tmp_path / "saas.db") as mock:
        plans = [[f"{feature_dir}={key}"] for key in TICKETS[:4]]
        binds = race(mock, repo, tmp_path / "go", plans)
        assert len(binds) == 4
        assert_one_origin(mock, feature_dir, binds)
        assert len(mock.origin_links()) == 1


def test_nfr_two_mock_workers_keep_one_origin_per_mission_and_replay_keys(
    tmp_path: Path,
) -> None:
    repo = write_linear_repo(tmp_path / "repo")
    missions = [new_mission(repo, n) for n in range(6)]
    # Processes 0 and 1 race on missions 0-2, processes 2 and 3 on missions 3-5, each mission
    # with two different tickets, at the same step of both processes.
    plans: list[list[str]] = [[], [], [], []]
    for m, feature_dir in enumerate(missions):
        first = 0 if m < 3 else 2
        plans[first].append(f"{feature_dir}={TICKETS[2 * m]}")
        plans[first + 1].append(f"{feature_dir}={TICKETS[2 * m + 1]}")
    with MockServer(tmp_path / "saas.db", workers=2) as mock:
        binds = race(mock, repo, tmp_path / "go", plans)
        assert len(binds) == 12
        for feature_dir in missions:
            assert_one_origin(
                mock, feature_dir, [b for b in binds if b["feature_dir"] == str(feature_dir)]
            )
        assert len(mock.origin_links()) == len(missions)
        # The same key and body again, several times (both workers answer): the stored answer.
        # A loser that saw the winner's meta.json first refused locally and sent nothing.
        sent = [b for b in binds if b["request"] is not None]  # not refused locally first
        assert "bound" in {b["outcome"] for b in sent}
        for bind in sent:
            for _ in range(3):
                again = replay(mock, bind)
                assert again.headers.get("Idempotency-Replayed") == "true"
                if bind["outcome"] == "bound":
                    assert again.status_code == 200
                    assert again.json()["origin_link_id"] == bind["origin_link_id"]
                else:
                    assert again.status_code == 409
                    assert again.json()["error_code"] == "origin_already_bound"
        assert len(mock.origin_links()) == len(missions)
