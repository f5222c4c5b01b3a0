"""`serve --database URL` / `KITTY_MOCK_DATABASE`: the state in PostgreSQL, named in `--help`
and in the banner (never with its password), migrated at start."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from kitty_mock_saas.cli import main
from kitty_mock_saas.process import running_mock
from kitty_mock_saas.settings import MockSettings
from kitty_mock_saas.state.db import database_label

from tests.mock_saas.conftest import ALICE, BIND, bind_body


def test_the_database_comes_from_the_flag_or_the_variable() -> None:
    url = "postgresql://kitty@127.0.0.1:5432/kitty"
    from_env = MockSettings.from_env({"KITTY_MOCK_DATABASE": url})
    assert from_env.database_url == url
    assert MockSettings.from_env({}, database_url=url).database_url == url
    assert MockSettings.from_env({}).database_url is None  # SQLite, the default
    assert MockSettings.from_env(from_env.to_env()).database_url == url  # to worker processes


def test_help_names_the_flag_and_its_variable(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    flat = " ".join(capsys.readouterr().out.split())
    assert "--database URL" in flat
    assert "KITTY_MOCK_DATABASE" in flat


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "--database", "mysql://x/y"], "'mysql://x/y' is not a postgresql:// URL"),
        (["db", "status", "--database", "sqlite:///x"], "must be a postgresql:// URL"),
        (
            ["serve", "--state", "s.db", "--database", "postgresql://127.0.0.1/x"],
            "--state and --database name two places for one state",
        ),
    ],
)
def test_a_database_that_is_not_one_is_one_line_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(argv)
    except SystemExit as stopped:
        code = int(stopped.code or 0)
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def _with_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    netloc = f"{parts.username}:{password}@{parts.hostname}:{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def test_serve_workers_on_postgresql_migrate_at_start_and_hide_the_password(
    postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The throwaway server trusts local connections: any password does, and must not show.
    url = _with_password(postgres_url, "s3cret-pw")
    log = tmp_path / "stderr.txt"
    with (
        log.open("w") as stderr,
        running_mock("--database", url, "--workers", "2", stderr=stderr) as mock,
    ):
        # A new connection per request, so both workers answer some: one link, then "existing".
        outcomes = [
            httpx.post(
                f"{mock.url}{BIND}", json=bind_body(), headers={**ALICE, "Connection": "close"}
            ).json()["outcome"]
            for _ in range(6)
        ]
        assert outcomes == ["created"] + ["existing"] * 5
    banner = " ".join(log.read_text(encoding="utf-8").split())
    assert f"PostgreSQL postgresql://{urlsplit(url).username}:***@" in banner
    assert "s3cret-pw" not in banner
    assert main(["db", "status", "--database", url, "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["pending"] == []
    assert "s3cret-pw" not in status["database"]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://kitty:s3cret@db:5432/kitty", "postgresql://kitty:***@db:5432/kitty"),
        ("postgresql://db/kitty?password=s3cret&sslmode=require",
         "postgresql://db/kitty?password=***&sslmode=require"),
        ("postgresql://kitty@db/kitty", "postgresql://kitty@db/kitty"),
    ],
)  # fmt: skip
def test_a_database_url_is_shown_without_its_password(url: str, shown: str) -> None:
    assert database_label(url) == shown
