"""The pytest plugin the mock registers (entry point `pytest11`), used the way the README shows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from kitty_mock_saas.pytest_plugin import KittySaaS

from tests.conftest import ROOT
from tests.docs.readme_examples import examples


def readme_example() -> str:
    found = [
        e for e in examples(ROOT / "README.md") if e.kind == "pytest" and "kitty_saas" in e.code
    ]
    assert found, "README.md lost its kitty_saas example (marked <!-- example: pytest -->)"
    return found[0].code


def test_readme_example_is_at_most_ten_lines_of_test() -> None:
    body = [line for line in readme_example().splitlines() if line.strip()]
    test_lines = body[body.index(next(li for li in body if li.startswith("def "))) :]
    assert len(test_lines) <= 10


@pytest.mark.parametrize("mode", ["process"])  # inprocess: tests/docs runs every example
def test_readme_example_passes_as_written(tmp_path: Path, mode: str) -> None:
    """A fresh pytest run of the README's code, against the mock in process and as a server:
    the plugin is found through its entry point."""
    (tmp_path / "test_readme_example.py").write_text(readme_example(), encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--kitty-saas={mode}",
            str(tmp_path),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout


def test_each_test_gets_a_sandbox_of_its_own(kitty_saas: KittySaaS) -> None:
    listed = {s["name"] for s in kitty_saas.server.admin().sandboxes()}
    assert kitty_saas.sandbox in listed
    answer = kitty_saas.http.get("/api/v1/me", headers={"Authorization": "Bearer tok-alice"})
    assert answer.status_code == 200
    assert kitty_saas.journal.count(operation="getCurrentUser") == 1
    # The default state saw nothing of it.
    assert (
        kitty_saas.server.admin().journal.count(path="/api/v1/me", user="alice@acme.example") == 0
    )


def test_the_sandbox_header_goes_with_every_request_of_the_transport(kitty_saas: KittySaaS) -> None:
    with httpx.Client(base_url=kitty_saas.url, transport=kitty_saas.transport) as http:
        http.get("/api/v1/me", headers={"Authorization": "Bearer tok-bob"})
    [entry] = kitty_saas.journal.find(user="bob@acme.example")
    assert entry["headers"]["x-kitty-sandbox"] == kitty_saas.sandbox
    assert entry["headers"]["authorization"] == "<redacted>"
