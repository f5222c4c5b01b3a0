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


MOCK = PACKAGES["kitty_mock_saas"]


def imported_modules(source: str, module: str) -> set[str]:
    """Every module that `source` (the text of module `module`) imports, relative imports
    resolved (`module` is dotted, e.g. `kitty_mock_saas.connectors.registry`)."""
    package = module.split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - (node.level - 1)] if node.level else []
            imported = ".".join([*base, *(node.module.split(".") if node.module else [])])
            names.add(imported)
            names.update(f"{imported}.{alias.name}" for alias in node.names)
    return names


def module_name(path: Path) -> str:
    parts = ["kitty_mock_saas", *path.relative_to(MOCK).with_suffix("").parts]
    return ".".join(parts if parts[-1] != "__init__" else [*parts[:-1], "__init__"])


def test_connectors_never_import_the_fakes() -> None:
    """The connectors' folder holds what a real SaaS would ship: no fake, no tracker world."""
    violations = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((MOCK / "connectors").rglob("*.py"))
        for name in imported_modules(path.read_text(encoding="utf-8"), module_name(path))
        if name.startswith("kitty_mock_saas.tracker_fakes")
    ]
    assert violations == []


def test_the_seam_rule_resolves_relative_imports() -> None:
    names = imported_modules(
        "from ..tracker_fakes.world import TrackerWorld\nfrom .base import X\n",
        "kitty_mock_saas.connectors.registry",
    )
    assert "kitty_mock_saas.tracker_fakes.world" in names
    assert "kitty_mock_saas.connectors.base" in names


def test_one_seam_hands_the_registry_in_process_endpoints() -> None:
    """Outside the connectors, only `tracker_fakes/embedded.py` builds `ProviderEndpoint`s."""
    builders = sorted(
        str(path.relative_to(MOCK))
        for path in MOCK.rglob("*.py")
        if "ProviderEndpoint(" in path.read_text(encoding="utf-8")
        and not path.is_relative_to(MOCK / "connectors")
    )
    assert builders == ["tracker_fakes/embedded.py"]
