"""`make demo` runs the whole ticket-first flow on the embedded default."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from kitty_contracts.validation import validator

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import demo


def test_demo_json_shows_search_confirm_mission_and_delivered_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert demo.main(["--json", "--keep", str(tmp_path / "repo"), "--confirm", "WEB-123"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [c["external_issue_key"] for c in report["search_by_text"]["candidates"]] == [
        "WEB-123",
        "WEB-127",
    ]
    assert report["search_by_key"]["candidates"][0]["match_type"] == "exact"
    assert report["confirmed"] == "WEB-123"
    assert report["confirmed_by"] == report["mission"]["confirmation"] == "--confirm WEB-123"
    assert list(validator("MissionMeta").iter_errors(report["meta"])) == []
    assert report["meta"]["origin_ticket"]["external_issue_key"] == "WEB-123"
    assert report["mission"]["event_delivered"] is True  # right after the bind
    assert report["flush"]["pending"] == 0
    assert report["saas_events"] == [report["mission"]["event_id"]]
    assert (
        tmp_path / "repo" / "kitty-specs" / report["mission"]["feature_slug"] / "spec.md"
    ).exists()


def test_demo_refuses_an_existing_keep_directory(tmp_path: Path) -> None:
    assert demo.main(["--keep", str(tmp_path)]) == 2


def test_without_a_terminal_or_a_confirmation_nothing_is_bound_issue_10(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    assert demo.main(["--keep", str(repo)], terminal=False) != 0
    hint = capsys.readouterr().err.strip()
    assert len(hint.splitlines()) == 1
    assert "--confirm WEB-123" in hint
    assert not (repo / "kitty-specs").exists()


def test_a_confirmation_naming_no_candidate_binds_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    assert demo.main(["--keep", str(repo), "--confirm", "WEB-999"], terminal=False) != 0
    assert "WEB-999" in capsys.readouterr().err
    assert not (repo / "kitty-specs").exists()


def test_make_demo_passes_its_confirmation_visibly_and_prints_one_json_document() -> None:
    done = subprocess.run(
        ["make", "-s", "demo", "ARGS=--json"],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)
    assert report["confirmed_by"] == "--confirm WEB-123"
    assert "WEB-123 confirmed by --confirm WEB-123" in done.stderr
