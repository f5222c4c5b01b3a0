"""Every code block a README marks as an example runs as written (see `readme_examples.py`).

Scripts and shell examples run against one mock process on a free port: `SPEC_KITTY_SAAS_URL`
points scripts at it, and in shell examples the address `make serve` uses
(http://127.0.0.1:8765) becomes its address, with `KITTY_MOCK_ADMIN_TOKEN` its admin token.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from kitty_mock_saas.process import MockProcess, running_mock

from tests.docs.readme_examples import KINDS, Example, all_examples, readmes, unmarked_python_blocks

ADMIN_TOKEN = "readme-examples-admin"
MAKE_SERVE_URL = "http://127.0.0.1:8765"
EXAMPLES = all_examples()


@pytest.fixture(scope="module")
def mock() -> Iterator[MockProcess]:
    with running_mock("--admin-token", ADMIN_TOKEN) as served:
        yield served


@pytest.fixture
def fresh_mock(mock: MockProcess) -> MockProcess:
    answer = httpx.post(f"{mock.url}/__admin/reset", headers={"X-Admin-Token": ADMIN_TOKEN})
    assert answer.status_code == 200, answer.text
    return mock


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}  # noqa: TID251 - the environment of a child process
    env.pop("SPEC_KITTY_API_TOKEN", None)
    env.pop("SPEC_KITTY_TEAM", None)
    return env


def test_the_readmes_have_examples_of_every_kind() -> None:
    assert {example.kind for example in EXAMPLES} == set(KINDS), [e.name for e in EXAMPLES]


@pytest.mark.parametrize("readme", readmes(), ids=lambda path: path.parent.name or "root")
def test_every_python_block_is_an_example_or_a_fragment(readme: Path) -> None:
    assert unmarked_python_blocks(readme) == [], (
        f"{readme}: mark each ```python block `<!-- example: script|pytest -->` (run by this test) "
        "or `<!-- fragment -->` (a sketch)"
    )


def _run(example: Example, tmp_path: Path, mock: MockProcess) -> subprocess.CompletedProcess[str]:
    if example.kind == "script":
        script = tmp_path / "example.py"
        script.write_text(example.code, encoding="utf-8")
        argv = [sys.executable, str(script)]
        env = _env(SPEC_KITTY_SAAS_URL=mock.url)
    elif example.kind == "pytest":
        (tmp_path / "test_example.py").write_text(example.code, encoding="utf-8")
        argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)]
        env = _env()
    else:
        code = example.code.replace(MAKE_SERVE_URL, mock.url)
        argv = ["bash", "-euo", "pipefail", "-c", code]
        env = _env(KITTY_MOCK_ADMIN_TOKEN=ADMIN_TOKEN, PATH=_path_with_venv())
    return subprocess.run(
        argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _path_with_venv() -> str:
    """The venv's scripts (`kitty-mock-saas`) first, as after activating it."""
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])  # noqa: TID251


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.name)
def test_the_example_runs_as_written(
    example: Example, tmp_path: Path, fresh_mock: MockProcess
) -> None:
    if example.kind == "shell":
        assert shutil.which("curl"), "the shell examples use curl"
    run = _run(example, tmp_path, fresh_mock)
    output = run.stdout + run.stderr
    assert run.returncode == 0, f"{example.name} failed:\n{output}"
    # A shell example's curl exits 0 on any answer: an error envelope is a broken example.
    assert '"error_code"' not in run.stdout, f"{example.name} got an error answer:\n{output}"
    if example.kind == "pytest":
        assert " passed" in run.stdout, output
        assert "failed" not in run.stdout, output
