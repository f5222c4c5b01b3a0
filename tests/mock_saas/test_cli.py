"""`kitty-mock-saas serve`: starts on 127.0.0.1, answers curl-style requests, fails in one line."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from kitty_mock_saas.cli import main
from kitty_mock_saas.process import MockStartError, running_mock, start_mock


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with running_mock("--state", str(tmp_path / "mock.db")) as mock:
        yield mock.url


def test_serve_answers_a_search_like_the_readme_curl(server: str) -> None:
    response = httpx.post(
        f"{server}/api/v1/tracker/issue-search/",
        headers={"Authorization": "Bearer tok-alice", "X-Team-Slug": "acme"},
        json={"provider": "linear", "project_slug": "acme-web", "query_text": "Clerk auth"},
        timeout=10,
    )
    assert [c["external_issue_key"] for c in response.json()["candidates"]] == [
        "WEB-123",
        "WEB-127",
    ]


def test_state_survives_a_restart(tmp_path: Path) -> None:
    state = str(tmp_path / "mock.db")
    body = {
        "provider": "linear",
        "mission_id": "01JD8X4ZQK5M7N9P2R3S4T5V6W",
        "external_issue_id": "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d",
        "external_issue_key": "WEB-123",
        "external_issue_url": "https://linear.app/acme/issue/WEB-123/add-clerk-auth",
        "external_title": "Add Clerk auth",
        "project_slug": "acme-web",
    }
    headers = {"Authorization": "Bearer tok-alice", "X-Team-Slug": "acme"}
    bind = "/api/v1/tracker/mission-origin/bind/"
    with running_mock("--state", state) as mock:
        first = httpx.post(mock.url + bind, json=body, headers=headers, timeout=10).json()
    with running_mock("--state", state) as mock:
        again = httpx.post(mock.url + bind, json=body, headers=headers, timeout=10).json()
    assert (again["origin_link_id"], again["outcome"]) == (first["origin_link_id"], "existing")


def test_port_in_use_is_one_line_with_the_fix(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 3
    err = capsys.readouterr().err.strip()
    assert (
        err == f"error: port {port} on 127.0.0.1 is in use; stop the other server or pass --port 0"
    )


def test_bad_fixtures_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "fixtures.yaml"
    bad.write_text("teams: []\nusers: [{id: x}]\nresource_mappings: []\n")
    assert main(["serve", "--port", "0", "--fixtures", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: fixtures file {bad}: users.0.")
    assert "\n" not in err


def test_workers_need_a_state_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--workers", "2"]) == 2
    assert "--state" in capsys.readouterr().err


def test_start_mock_reports_a_mock_that_cannot_start(tmp_path: Path) -> None:
    bad = tmp_path / "fixtures.yaml"
    bad.write_text("teams: [\n")
    with pytest.raises(MockStartError, match="printed no URL"):
        start_mock("--fixtures", str(bad), start_timeout=20)


TRACKERS = """\
task_trackers:
  jira:
    enabled: true
    server_url: "http://127.0.0.1:9"
    credentials: "env:KITTY_TEST_UNSET_JIRA_TOKEN"
"""


def test_an_unset_trackers_credential_stops_the_start_naming_file_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KITTY_TEST_UNSET_JIRA_TOKEN", raising=False)
    monkeypatch.setenv("KITTY_TEST_OTHER", "not-this-secret")
    path = tmp_path / "task_trackers.yaml"
    path.write_text(TRACKERS, encoding="utf-8")
    assert main(["serve", "--port", "0", "--trackers", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"error: {path}: task_trackers.jira.credentials: environment variable "
        "KITTY_TEST_UNSET_JIRA_TOKEN is not set"
    )


def test_serve_help_documents_the_trackers_file_and_the_tracker_fake(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    help_text = capsys.readouterr().out
    assert "--trackers FILE" in help_text
    assert "tracker-fake --provider jira" in help_text
    with pytest.raises(SystemExit):
        main(["tracker-fake", "--help"])
    assert "/__fake/requests" in capsys.readouterr().out


def test_trackers_not_in_the_file_stay_embedded_and_the_log_says_so(tmp_path: Path) -> None:
    path = tmp_path / "task_trackers.yaml"
    path.write_text(TRACKERS.replace("KITTY_TEST_UNSET_JIRA_TOKEN", "KITTY_TEST_JIRA"), "utf-8")
    with running_mock("--trackers", str(path), env={"KITTY_TEST_JIRA": "s3cr3t-value"}) as mock:
        routes = mock.startup["trackers"]
    assert routes == {
        "jira": "http://127.0.0.1:9, installation credential env:KITTY_TEST_JIRA",
        "linear": "embedded fake (in process)",
        "github": "embedded fake (in process)",
    }
    assert "s3cr3t-value" not in str(mock.startup)
