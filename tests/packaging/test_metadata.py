"""What the two pyproject files promise: ranges for users, pins and a lock for us, honest imports."""

from __future__ import annotations

import ast
import sys
import tomllib
from collections.abc import Iterable
from importlib.metadata import packages_distributions
from pathlib import Path
from typing import Any

import kitty_origin
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import ROOT

SDK = ROOT / "pyproject.toml"
MOCK = ROOT / "mock_saas" / "pyproject.toml"
LOCK = ROOT / "constraints.txt"
SDK_PACKAGES = {
    "kitty_contracts": ROOT / "generated" / "kitty_contracts",
    "kitty_saas_api": ROOT / "generated" / "kitty_saas_api",
    "kitty_origin": ROOT / "client" / "kitty_origin",
}
MOCK_PACKAGES = {"kitty_mock_saas": ROOT / "mock_saas" / "kitty_mock_saas"}
SERVER_STACK = {"fastapi", "starlette", "uvicorn", "graphql-core", "rich", "kitty-mock-saas"}
# The mock is built against the SDK's generated models: a new contract major is a new mock.
# psycopg's next major may change the API the PostgreSQL backend is written against.
UPPER_BOUNDED = {"spec-kitty-origin", "psycopg"}


def _project(path: Path) -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    return project


def _requirements(path: Path) -> list[Requirement]:
    return [Requirement(line) for line in _project(path)["project"]["dependencies"]]


def _extra_requirements(path: Path) -> list[Requirement]:
    extras = _project(path)["project"].get("optional-dependencies", {}).values()
    return [Requirement(line) for extra in extras for line in extra]


def _dev_requirements() -> list[Requirement]:
    return [Requirement(line) for line in _project(SDK)["dependency-groups"]["dev"]]


def _lock() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = Version(version)
    return pins


def test_run_time_dependencies_are_ranges_with_a_lower_bound() -> None:
    for path in (SDK, MOCK):
        for requirement in [*_requirements(path), *_extra_requirements(path)]:
            operators = {spec.operator for spec in requirement.specifier}
            name = canonicalize_name(requirement.name)
            assert ">=" in operators, f"{path.name}: {requirement} has no lower bound"
            assert not operators & {"==", "==="}, f"{path.name}: {requirement} is a pin"
            if name not in UPPER_BOUNDED:
                assert operators == {">="}, f"{path.name}: {requirement} caps a major"


def test_python_versions_have_a_floor_and_no_cap() -> None:
    for path in (SDK, MOCK):
        assert _project(path)["project"]["requires-python"] == ">=3.11", path


def test_the_sdk_brings_no_server_stack() -> None:
    names = {canonicalize_name(r.name) for r in _requirements(SDK)}
    assert names & SERVER_STACK == set()


def test_dev_tools_are_pinned() -> None:
    for requirement in _dev_requirements():
        assert [s.operator for s in requirement.specifier] == ["=="], str(requirement)


def test_the_lock_covers_every_dependency_within_its_range() -> None:
    """A dependency added to a pyproject without `make lock` would install unlocked."""
    pins = _lock()
    required = [
        *_requirements(SDK),
        *_requirements(MOCK),
        *_extra_requirements(MOCK),
        *_dev_requirements(),
    ]
    for requirement in required:
        name = canonicalize_name(requirement.name)
        if name == "spec-kitty-origin":
            continue
        assert name in pins, f"{requirement} is not in constraints.txt: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt has {name}=={pins[name]} outside {requirement}: run `make lock`"
        )


def _third_party_imports(packages: Iterable[Path], own: set[str]) -> set[str]:
    found: set[str] = set()
    for package in packages:
        for path in package.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return found - own - set(sys.stdlib_module_names) - {"__future__"}


def _distributions(import_names: set[str]) -> set[str]:
    owners = packages_distributions()
    missing = import_names - set(owners)
    assert missing == set(), f"imported but installed by no distribution: {missing}"
    return {canonicalize_name(owners[name][0]) for name in import_names}


def test_each_distribution_declares_what_it_imports() -> None:
    own = set(SDK_PACKAGES) | set(MOCK_PACKAGES)
    sdk_declared = {canonicalize_name(r.name) for r in _requirements(SDK)}
    mock_declared = {canonicalize_name(r.name) for r in _requirements(MOCK)}
    # The extras count: the pytest plugin imports pytest, the PostgreSQL backend psycopg.
    mock_declared |= {canonicalize_name(r.name) for r in _extra_requirements(MOCK)}
    sdk_used = _distributions(_third_party_imports(SDK_PACKAGES.values(), own))
    mock_used = _distributions(_third_party_imports(MOCK_PACKAGES.values(), own))
    assert sdk_used - sdk_declared == set()
    assert mock_used - mock_declared == set()


def test_the_sdk_version_follows_the_contract_version() -> None:
    """The SDK's major is the contract's major; a contract minor raises at least the SDK minor."""
    document = yaml.safe_load((ROOT / "contracts" / "openapi.yaml").read_text(encoding="utf-8"))
    contract = Version(document["info"]["version"])
    sdk = Version(_project(SDK)["project"]["version"])
    assert str(contract) == kitty_origin.CONTRACT_VERSION
    assert sdk.major == contract.major
    assert sdk.minor >= contract.minor


def test_the_mock_is_released_with_the_sdk_it_depends_on() -> None:
    sdk = Version(_project(SDK)["project"]["version"])
    assert Version(_project(MOCK)["project"]["version"]) == sdk
    (on_sdk,) = [r for r in _requirements(MOCK) if r.name == "spec-kitty-origin"]
    assert on_sdk.specifier.contains(sdk)
    assert not on_sdk.specifier.contains(Version(f"{sdk.major + 1}.0"))
