"""Imports point one way: client → generated, mock_saas → generated; never client ↔ mock_saas."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = {
    "kitty_origin": ROOT / "client" / "kitty_origin",
    "kitty_mock_saas": ROOT / "mock_saas" / "kitty_mock_saas",
    "kitty_contracts": ROOT / "generated" / "kitty_contracts",
    "kitty_saas_api": ROOT / "generated" / "kitty_saas_api",
}
FORBIDDEN = {
    "kitty_origin": {"kitty_mock_saas", "tests"},
    "kitty_mock_saas": {"kitty_origin", "kitty_saas_api", "tests"},
    "kitty_contracts": {"kitty_origin", "kitty_mock_saas", "kitty_saas_api", "tests"},
    "kitty_saas_api": {"kitty_origin", "kitty_mock_saas", "kitty_contracts", "tests"},
}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_package_imports_point_one_way(package: str) -> None:
    violations = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted(PACKAGES[package].rglob("*.py"))
        for name in imported_top_levels(path) & FORBIDDEN[package]
    ]
    assert violations == []


def test_the_rule_catches_a_violation(tmp_path: Path) -> None:
    offender = tmp_path / "bad.py"
    offender.write_text("from kitty_mock_saas.app import create_app\nimport kitty_origin.errors\n")
    assert imported_top_levels(offender) >= {"kitty_mock_saas", "kitty_origin"}


def test_nothing_outside_tests_imports_tests() -> None:
    for root in (
        ROOT / "client",
        ROOT / "mock_saas",
        ROOT / "generated",
        ROOT / "tools",
        ROOT / "bench",
    ):
        for path in root.rglob("*.py"):
            assert "tests" not in imported_top_levels(path), path
