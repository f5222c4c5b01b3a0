"""`make demo` runs the whole ticket-first flow on the embedded default."""

from __future__ import annotations

import json
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
    assert demo.main(["--json", "--keep", str(tmp_path / "repo")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [c["external_issue_key"] for c in report["search_by_text"]["candidates"]] == [
        "WEB-123",
        "WEB-127",
    ]
    assert report["search_by_key"]["candidates"][0]["match_type"] == "exact"
    assert report["confirmed"] == "WEB-123"
    assert list(validator("MissionMeta").iter_errors(report["meta"])) == []
    assert report["meta"]["origin_ticket"]["external_issue_key"] == "WEB-123"
    assert report["flush"]["delivered"] == 1
    assert report["saas_events"] == [report["mission"]["event_id"]]
    assert (
        tmp_path / "repo" / "kitty-specs" / report["mission"]["feature_slug"] / "spec.md"
    ).exists()


def test_demo_refuses_an_existing_keep_directory(tmp_path: Path) -> None:
    assert demo.main(["--keep", str(tmp_path)]) == 2
