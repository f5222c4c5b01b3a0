"""`kitty-mock-saas` explains itself: versions, a banner that says where everything is, clear
answers to bad arguments, every option as a variable, a request log, and its admin token."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from kitty_contracts.contract_version import CONTRACT_VERSION
from kitty_mock_saas.admin_token import read_token_file, token_file
from kitty_mock_saas.cli import main
from kitty_mock_saas.process import running_mock, start_mock


@pytest.mark.parametrize("command", [[], ["serve"], ["proxy"], ["tracker-fake"], ["db"]])
def test_every_command_prints_the_versions(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([*command, "--version"])
    assert stopped.value.code == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("kitty-mock-saas ")
    assert f"contract {CONTRACT_VERSION}" in line
    assert "SDK " in line
    assert "admin contract " in line


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "--port", "99999"], "argument --port: 99999 is not a port (0-65535"),
        (["serve", "--port", "http"], "argument --port: http is not a port"),
        (["serve", "--workers", "0"], "argument --workers: 0 is not a whole number from 1"),
        (["serve", "--corpus", "-5"], "argument --corpus: -5 is not a whole number from 0"),
        (["serve", "--keep-alive", "0"], "argument --keep-alive: 0 is not a number of seconds"),
        (["serve", "--host", "http://127.0.0.1"], "argument --host: 'http://127.0.0.1' is a URL"),
        (["serve", "--fixtures", "/nonexistent.yaml"], "/nonexistent.yaml: no such file"),
        (["tracker-fake", "--provider", "jira", "--port", "70000"], "70000 is not a port"),
    ],
)
def test_a_bad_argument_is_one_clear_line_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_every_option_is_also_a_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    help_text = capsys.readouterr().out
    for variable in ("KITTY_MOCK_PORT", "KITTY_MOCK_HOST", "KITTY_MOCK_LOG_REQUESTS"):
        assert f"env {variable}" in " ".join(help_text.split()), variable
    monkeypatch.setenv("KITTY_MOCK_PORT", "99999")
    assert main(["serve"]) == 2
    assert "KITTY_MOCK_PORT='99999': 99999 is not a port" in capsys.readouterr().err
    monkeypatch.setenv("KITTY_MOCK_PORT", "0")
    monkeypatch.setenv("KITTY_MOCK_WORKERS", "2")
    assert main(["serve"]) == 2  # the variable's 2 workers need a state file
    assert "--workers > 1 needs a shared state file" in capsys.readouterr().err


def test_the_documented_admin_token_is_refused_off_loopback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Refused before anything is bound: nothing listens beyond 127.0.0.1 in this test.
    assert main(["serve", "--host", "0.0.0.0", "--admin-token", "admin-secret"]) == 2
    err = capsys.readouterr().err
    assert "documented default 'admin-secret'" in err
    assert "--admin-token" in err


def test_the_banner_names_everything_in_80_columns(tmp_path: Path) -> None:
    log = tmp_path / "stderr.txt"
    with (
        log.open("w") as stderr,
        running_mock("--corpus", "500", stderr=stderr, admin_token=None) as mock,
    ):
        token = mock.admin_token
        written = token_file(int(httpx.URL(mock.url).port or 0))
        assert read_token_file(written) == token
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        assert httpx.get(f"{mock.url}/__admin/state", headers={"X-Admin-Token": token}).is_success
        assert (
            httpx.get(
                f"{mock.url}/__admin/state", headers={"X-Admin-Token": "admin-secret"}
            ).status_code
            == 401
        )
    assert not written.exists(), "a clean stop removes the token file"
    banner = log.read_text(encoding="utf-8")
    assert max(len(line) for line in banner.splitlines()) <= 80, banner
    flat = " ".join(banner.split())
    assert token
    assert token != "admin-secret"
    for fact in (
        f"{mock.url}/api/v1/",
        f"{mock.url}/docs (SaaS)",
        f"{mock.url}/docs/admin (admin API)",
        f"{mock.url}/__admin/health",
        f"{token} (generated; also in {written})",
        "Bearer tok-alice: alice@acme.example, team acme",
        "Bearer tok-carol: carol@globex.example, team globex",
        "acme/acme-web -> linear WEB",
        "jira: embedded fake (in process)",
        "state in memory",
        "500 synthetic tickets",
        "corpus: 500 synthetic tickets generated in",
    ):
        assert fact in flat, (fact, banner)


def test_log_requests_prints_one_line_per_request(tmp_path: Path) -> None:
    log = tmp_path / "stderr.txt"
    with log.open("w") as stderr:
        mock = start_mock("--log-requests", stderr=stderr)
        try:
            httpx.get(f"{mock.url}/api/v1/me", headers={"X-Kitty-Sandbox": "s1"})
            httpx.get(f"{mock.url}/__admin/health")
        finally:
            mock.stop()
    lines = [line for line in log.read_text().splitlines() if " /api/v1/me " in line]
    assert len(lines) == 1, log.read_text()
    assert " GET /api/v1/me 401 unauthenticated " in lines[0]
    assert lines[0].endswith("sandbox=s1")
    assert "ms " in lines[0]


def test_the_plugin_reads_the_token_file_of_a_running_mock(tmp_path: Path) -> None:
    (tmp_path / "test_admin.py").write_text(
        "def test_admin(kitty_saas):\n"
        "    kitty_saas.faults.rate_limit(count=1)\n"
        "    assert kitty_saas.server.admin_token.startswith('kma-')\n",
        encoding="utf-8",
    )
    with running_mock(admin_token=None) as mock:
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--kitty-saas={mock.url}", str(tmp_path)],
            cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_plugin_says_once_that_no_mock_answers(tmp_path: Path) -> None:
    (tmp_path / "test_a.py").write_text(
        "def test_one(kitty_saas): pass\ndef test_two(kitty_saas): pass\n", encoding="utf-8"
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--kitty-saas=http://127.0.0.1:9", str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode != 0
    assert "--kitty-saas=http://127.0.0.1:9: no mock answers there" in run.stdout
    assert "Traceback" not in run.stdout
