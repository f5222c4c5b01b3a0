"""The built files, installed as a user would: each wheel into its own fresh virtualenv.

- the client venv holds only the SDK wheel (resolved with the dev lock, so CI is reproducible),
  imports `kitty_origin` and searches a mock started from the mock venv on 127.0.0.1;
- the lower-bounds venv holds both wheels with every dependency at the lowest version its range
  allows, serves the mock and runs the same search against it;
- the mock venv holds both wheels and runs `kitty-mock-saas`;
- the spec-kitty venv resolves the SDK wheel together with `spec-kitty-cli==3.2.7`.

The venvs use pip's ordinary cache, like the interop tests' upstream venv.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import kitty_origin
import pytest
from kitty_mock_saas.process import MockProcess, running_mock
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import ROOT
from tests.interop.upstream_cli import UPSTREAM_PACKAGE, UPSTREAM_VERSION

pytestmark = pytest.mark.slow

LOCK = ROOT / "constraints.txt"
INSTALL_TIMEOUT_S = 900.0
RUN_TIMEOUT_S = 120.0
SERVER_STACK = {"fastapi", "starlette", "uvicorn", "graphql-core", "rich", "kitty-mock-saas"}

# Runs inside a venv that has the SDK only: a search through the public client API, and the
# located errors of the contract validators (jsonschema + referencing) for an invalid request.
CLIENT_SEARCH = """
import json, sys
import kitty_origin
from kitty_contracts.validation import validator
from kitty_origin import ClientSettings, SaaSTrackerClient, StaticTokenProvider

settings = ClientSettings.from_env(
    env={}, base_url=sys.argv[1], team="acme", token_provider=StaticTokenProvider("tok-alice")
)
with SaaSTrackerClient(settings) as client:
    found = client.search_issues("linear", "acme-web", query_text="Clerk auth")
print(json.dumps({
    "contract_version": kitty_origin.CONTRACT_VERSION,
    "keys": [c.external_issue_key for c in found.candidates],
    "errors": [e.message for e in validator("IssueSearchRequest").iter_errors({"provider": "x"})],
}))
"""

INSTALLED = (
    "import importlib.metadata as m, json;"
    " print(json.dumps(sorted({d.metadata['Name'] for d in m.distributions()})))"
)


def _run(*command: str | Path, timeout: float = RUN_TIMEOUT_S) -> str:
    done = subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        shown = " ".join(str(c) for c in command)[:300]
        pytest.fail(f"{shown} exited {done.returncode}:\n{done.stderr[-4000:]}", pytrace=False)
    return done.stdout


def _pip(python: Path, *args: str | Path, timeout: float = RUN_TIMEOUT_S) -> str:
    """This environment's pip acting on the venv of `python` (which needs no pip of its own)."""
    return _run(sys.executable, "-m", "pip", "--python", python, *args, timeout=timeout)


def _venv(path: Path, *requirements: str | Path, constraints: Path | None = None) -> Path:
    """A fresh venv at `path` with `requirements` installed by pip; returns its python."""
    _run(sys.executable, "-m", "venv", "--without-pip", path)
    python = path / "bin" / "python"
    constrain = ["-c", str(constraints)] if constraints else []
    _pip(python, "install", "--quiet", "--no-compile", *constrain, *requirements,
         timeout=INSTALL_TIMEOUT_S)  # fmt: skip
    return python


def _installed(python: Path) -> set[str]:
    return {canonicalize_name(name) for name in json.loads(_run(python, "-c", INSTALLED))}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The files `make dist` builds (same script), keyed sdk_wheel, sdk_sdist, mock_wheel, mock_sdist."""
    outdir = tmp_path_factory.mktemp("dist")
    _run(sys.executable, ROOT / "tools" / "dist.py", "--outdir", outdir)
    files = {}
    for prefix, name in (("spec_kitty_origin-", "sdk"), ("kitty_mock_saas-", "mock")):
        (files[f"{name}_wheel"],) = outdir.glob(f"{prefix}*.whl")
        (files[f"{name}_sdist"],) = outdir.glob(f"{prefix}*.tar.gz")
    return files


@pytest.fixture(scope="module")
def mock_python(dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _venv(
        tmp_path_factory.mktemp("venvs") / "mock",
        dist["sdk_wheel"],
        dist["mock_wheel"],
        constraints=LOCK,
    )


@pytest.fixture(scope="module")
def mock(mock_python: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockProcess]:
    script = mock_python.with_name("kitty-mock-saas")
    with running_mock("--state", ":memory:", executable=[str(script)]) as process:
        yield process


def _names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _packages(names: set[str]) -> set[str]:
    tops = {name.split("/")[0] for name in names}
    return {top for top in tops if not top.endswith(".dist-info")}


def test_the_sdk_wheel_carries_the_contract_and_no_mock(dist: dict[str, Path]) -> None:
    names = _names(dist["sdk_wheel"])
    assert {
        "kitty_contracts/openapi.json",
        "kitty_contracts/admin_openapi.json",
        "kitty_contracts/contract_version.py",
        "kitty_contracts/py.typed",
        "kitty_saas_api/py.typed",
        "kitty_origin/py.typed",
    } <= names
    assert _packages(names) == {"kitty_contracts", "kitty_saas_api", "kitty_origin"}


def test_the_mock_wheel_carries_its_data_and_script(dist: dict[str, Path]) -> None:
    names = _names(dist["mock_wheel"])
    assert {
        "kitty_mock_saas/fixtures/default.yaml",
        "kitty_mock_saas/dashboard/static/dashboard.css",
        "kitty_mock_saas/dashboard/static/dashboard.js",
        "kitty_mock_saas/py.typed",
    } <= names
    assert _packages(names) == {"kitty_mock_saas"}
    with zipfile.ZipFile(dist["mock_wheel"]) as archive:
        (entry_points,) = [n for n in archive.namelist() if n.endswith("entry_points.txt")]
        assert "kitty-mock-saas = kitty_mock_saas.cli:main" in archive.read(entry_points).decode()


def test_the_sdk_wheel_requires_no_server_stack(dist: dict[str, Path]) -> None:
    with zipfile.ZipFile(dist["sdk_wheel"]) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        lines = archive.read(metadata).decode().splitlines()
    required = {
        canonicalize_name(Requirement(line.removeprefix("Requires-Dist: ")).name)
        for line in lines
        if line.startswith("Requires-Dist: ")
    }
    assert "Requires-Python: >=3.11" in lines
    assert required
    assert required & SERVER_STACK == set()


def test_the_builds_are_byte_reproducible(
    dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    again = tmp_path_factory.mktemp("dist-again")
    _run(sys.executable, ROOT / "tools" / "dist.py", "--outdir", again)
    for path in dist.values():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_mock_venv_runs_the_console_script(mock_python: Path, mock: MockProcess) -> None:
    help_text = _run(mock_python.with_name("kitty-mock-saas"), "--help")
    assert "serve" in help_text
    assert httpx.get(f"{mock.url}/openapi.json", timeout=10).json()["info"]["title"]
    for path in ("/", "/dashboard/static/dashboard.css"):
        assert httpx.get(mock.url + path, timeout=10).status_code == 200, path


def test_a_client_only_install_searches_the_mock_without_server_packages(
    dist: dict[str, Path], mock: MockProcess, tmp_path_factory: pytest.TempPathFactory
) -> None:
    python = _venv(tmp_path_factory.mktemp("venvs") / "client", dist["sdk_wheel"], constraints=LOCK)
    installed = _installed(python)
    assert "spec-kitty-origin" in installed
    assert installed & SERVER_STACK == set(), sorted(installed)
    answer = json.loads(_run(python, "-c", CLIENT_SEARCH, mock.url))
    assert answer["keys"][0] == "WEB-123"
    assert answer["errors"]
    assert answer["contract_version"] == kitty_origin.CONTRACT_VERSION


def _lower_bounds(tmp: Path) -> Path:
    """Constraints pinning every run-time dependency of both distributions to its range's floor."""
    floors: dict[str, Version] = {}
    for pyproject in (ROOT / "pyproject.toml", ROOT / "mock_saas" / "pyproject.toml"):
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        for line in project["project"]["dependencies"]:
            requirement = Requirement(line)
            name = canonicalize_name(requirement.name)
            if name == "spec-kitty-origin":
                continue
            (floor,) = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
            floors[name] = max(floor, floors.get(name, floor))
    path = tmp / "lower-bounds.txt"
    path.write_text("".join(f"{n}=={v}\n" for n, v in sorted(floors.items())), encoding="utf-8")
    return path


def test_both_distributions_work_at_their_lower_bounds(
    dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The mock served and the client searching with every dependency at its declared floor."""
    tmp = tmp_path_factory.mktemp("lower")
    python = _venv(
        tmp / "venv", dist["sdk_wheel"], dist["mock_wheel"], constraints=_lower_bounds(tmp)
    )
    script = [str(python.with_name("kitty-mock-saas"))]
    with running_mock("--state", ":memory:", executable=script) as floor_mock:
        answer = json.loads(_run(python, "-c", CLIENT_SEARCH, floor_mock.url))
        dashboard = httpx.get(floor_mock.url + "/", timeout=10)
    assert answer["keys"][0] == "WEB-123"
    assert answer["errors"]
    assert dashboard.status_code == 200


def test_the_sdk_installs_next_to_spec_kitty_cli(
    dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """One resolution for both, as an application that uses both would do (no dev lock)."""
    python = _venv(
        tmp_path_factory.mktemp("venvs") / "spec-kitty",
        dist["sdk_wheel"],
        f"{UPSTREAM_PACKAGE}=={UPSTREAM_VERSION}",
    )
    _pip(python, "check")
    _run(python, "-c", "import kitty_origin, specify_cli.tracker.origin")
    assert {"spec-kitty-origin", UPSTREAM_PACKAGE} <= _installed(python)
