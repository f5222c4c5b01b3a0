"""The Makefile's Python check: it holds whatever PYTHON says, and a .venv of another Python is
rebuilt rather than reused. Run against stand-in interpreters in a scratch tree (no venv is
really built)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

GOOD = """#!/bin/bash
case "$1" in
  -c) exit 0 ;;
  --version) echo "Python 3.11.99" ;;
  -m) if [ "$2" = venv ]; then mkdir -p "$3/bin"; cp "$0" "$3/bin/python"; fi ;;
esac
"""
OLD = """#!/bin/bash
case "$1" in
  -c) exit 1 ;;
  --version) echo "Python 3.10.13" ;;
esac
"""


def _script(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for name in ("pyproject.toml", "mock_saas/pyproject.toml", "constraints.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    return tmp_path


def _make(tree: Path, python: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "install", f"PYTHON={python}"],
        cwd=tree, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_a_python_older_than_3_11_in_PYTHON_is_refused(tree: Path) -> None:
    run = _make(tree, _script(tree / "bin" / "python3.10", OLD))
    assert run.returncode != 0
    assert "is not Python 3.11 or newer (Python 3.10.13)" in run.stderr
    assert not (tree / ".venv").exists()


def test_a_venv_of_another_python_is_rebuilt(tree: Path) -> None:
    _script(tree / ".venv" / "bin" / "python", OLD)
    (tree / ".venv" / ".installed").touch()  # installed once, with the old Python
    run = _make(tree, _script(tree / "bin" / "python3.11", GOOD))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "runs Python 3.10.13; rebuilding it" in run.stdout
    assert (tree / ".venv" / "bin" / "python").read_text(encoding="utf-8") == GOOD
