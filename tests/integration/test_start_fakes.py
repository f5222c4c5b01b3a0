"""One command for the mock and its HTTP tracker fakes: `serve --trackers FILE --start-fakes`
with the shipped `config/task_trackers.yaml` (its ports moved to free ones so that parallel runs
do not collide), and a bind that goes through the fake over its socket."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import httpx
import pytest
from kitty_mock_saas.cli import main
from kitty_mock_saas.process import running_mock
from kitty_mock_saas.tracker_fakes.server import RECORDER_PATH
from kitty_origin import ClientSettings, SaaSTrackerClient, StaticTokenProvider

from tests.conftest import ROOT

SHIPPED = ROOT / "config" / "task_trackers.yaml"
# The values the shipped file's comment documents: the fakes' seeded installation credentials.
DOCUMENTED = {
    "JIRA_API_TOKEN": "jira-install-acme",
    "LINEAR_API_KEY": "lin-install-acme",
    "GITHUB_TOKEN": "gh-install-acme",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _with_free_ports(target: Path) -> dict[str, int]:
    text = SHIPPED.read_text(encoding="utf-8")
    ports = {old: _free_port() for old in ("9001", "9002", "9003")}
    for old, new in ports.items():
        text = text.replace(f"127.0.0.1:{old}", f"127.0.0.1:{new}")
    target.write_text(text, encoding="utf-8")
    return {"jira": ports["9001"], "linear": ports["9002"], "github": ports["9003"]}


def test_the_shipped_file_documents_its_credentials() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    for name, value in DOCUMENTED.items():
        assert f"env:{name}" in text
        assert f"{name}={value}" in text


def test_one_command_starts_the_fakes_and_a_bind_goes_through_them(tmp_path: Path) -> None:
    config = tmp_path / "task_trackers.yaml"
    ports = _with_free_ports(config)
    with running_mock("--trackers", str(config), "--start-fakes", env=DOCUMENTED) as mock:
        linear = f"http://127.0.0.1:{ports['linear']}"
        assert mock.startup["trackers"]["linear"].startswith(f"{linear}/graphql, ")
        settings = ClientSettings.from_env(
            env={}, base_url=mock.url, team="acme", token_provider=StaticTokenProvider("tok-alice")
        )
        with SaaSTrackerClient(settings) as client:
            [hit] = client.search_issues("linear", "acme-web", query_key="WEB-123")["candidates"]
            bound = client.bind_mission_origin(
                "linear",
                "acme-web",
                feature_slug="061-web-123",
                mission_id="01JD8X4ZQK5M7N9P2R3S4T5V9Z",
                external_issue_id=hit["external_issue_id"],
                external_issue_key=hit["external_issue_key"],
                external_issue_url=hit["url"],
                title=hit["title"],
            )
        assert bound["external_issue_key"] == "WEB-123"
        seen = httpx.get(f"{linear}{RECORDER_PATH}", timeout=5).json()["requests"]
        assert len(seen) >= 2  # the search and the bind's lookup went over the fake's socket
        assert {r["account"] for r in seen} == {"lin-alice"}
    # Stopped with the mock: nothing listens on the fakes' ports any more.
    for port in ports.values():
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_every_unset_variable_is_named_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in DOCUMENTED:
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "task_trackers.yaml"
    _with_free_ports(config)
    assert main(["serve", "--port", "0", "--trackers", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    for name in DOCUMENTED:
        assert f"environment variable {name} is not set" in err


def test_a_broken_trackers_file_names_its_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "task_trackers.yaml"
    config.write_text("task_trackers:\n  jira:\n    enabled: true\n   server_url: x\n", "utf-8")
    assert main(["serve", "--port", "0", "--trackers", str(config)]) == 2
    assert re.search(r"not valid YAML at line 4, column \d+", capsys.readouterr().err)


def test_start_fakes_refuses_a_real_tracker_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "task_trackers.yaml"
    config.write_text(
        'task_trackers:\n  jira:\n    enabled: true\n    server_url: "https://acme.atlassian.net"\n'
        '    credentials: "env:JIRA_API_TOKEN"\n',
        "utf-8",
    )
    assert main(["serve", "--port", "0", "--trackers", str(config), "--start-fakes"]) == 2
    assert "only for http://127.0.0.1:PORT addresses" in capsys.readouterr().err


def test_the_readme_command_names_the_shipped_file() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "--trackers config/task_trackers.yaml --start-fakes" in readme
