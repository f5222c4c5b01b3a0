"""The gates themselves fail when they should: drift, manifest, lint and breaking changes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

NODE_BIN = ROOT / "tools" / "node" / "node_modules" / ".bin"


def _tracked_copy(tmp_path: Path) -> Path:
    """A git repository holding a copy of every tracked file (plus uncommitted edits)."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    copy = tmp_path / "repo"
    for name in files:
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    git = ["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    subprocess.run([*git, "add", "-A"], cwd=copy, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "copy"], cwd=copy, check=True)
    return copy


def _edit_json(path: Path, edit: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)  # type: ignore[operator]
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _drop_body(schema: dict[str, dict[str, object]]) -> None:
    del schema["properties"]["body"]


def _run(copy: Path, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(copy / "tools" / script), *args],
        cwd=copy,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _tracked_copy(tmp_path_factory.mktemp("gates"))


def test_drift_gate_passes_on_the_committed_tree(repo_copy: Path) -> None:
    result = _run(repo_copy, "check_drift.py")
    assert result.returncode == 0, result.stderr


def test_drift_gate_fails_when_a_contract_changes_without_regenerating(tmp_path: Path) -> None:
    copy = _tracked_copy(tmp_path)
    _edit_json(copy / "contracts/schemas/origin_candidate.json", _drop_body)
    result = _run(copy, "check_drift.py")
    assert result.returncode == 1
    assert (
        "contract changed since last generation: contracts/schemas/origin_candidate.json"
        in result.stderr
    )


def test_drift_gate_fails_on_a_hand_edit_of_generated_code(tmp_path: Path) -> None:
    copy = _tracked_copy(tmp_path)
    target = copy / "generated/kitty_contracts/origin_candidate.py"
    target.write_text(
        target.read_text(encoding="utf-8").replace("max_length=1024", "max_length=2048")
    )
    result = _run(copy, "check_drift.py")
    assert result.returncode == 1
    assert "changed: generated/kitty_contracts/origin_candidate.py" in result.stderr


def test_drift_gate_fails_on_a_stray_generated_file(tmp_path: Path) -> None:
    copy = _tracked_copy(tmp_path)
    (copy / "generated/kitty_contracts/stray.py").write_text("x = 1\n")
    result = _run(copy, "check_drift.py")
    assert result.returncode == 1
    assert "removed: generated/kitty_contracts/stray.py" in result.stderr


def _require_node_tool(name: str) -> Path:
    tool = NODE_BIN / name
    if not tool.exists():
        pytest.fail(f"{tool} is missing: `make test` installs it with `make node-tools`")
    return tool


def test_contract_lint_rejects_a_bad_type_in_a_schema_file(tmp_path: Path) -> None:
    redocly = _require_node_tool("redocly")
    contracts = tmp_path / "contracts"
    shutil.copytree(ROOT / "contracts", contracts)
    cmd = [str(redocly), "lint", "openapi.yaml", "--config", "redocly.yaml", "--format=summary"]
    env = {"PATH": "/usr/bin:/bin", "REDOCLY_TELEMETRY": "off", "HOME": str(tmp_path)}
    assert subprocess.run(cmd, cwd=contracts, env=env, capture_output=True).returncode == 0
    _edit_json(contracts / "schemas/match_type.json", lambda s: s.update(type="strng"))
    assert subprocess.run(cmd, cwd=contracts, env=env, capture_output=True).returncode != 0


def _add_optional(schema: dict[str, dict[str, object]]) -> None:
    schema["properties"]["labels"] = {"type": "array", "items": {"type": "string"}}


def _next(copy: Path, part: str) -> str:
    """The copy's contract version with its `minor` or `major` number bumped."""
    text = (copy / "contracts/openapi.yaml").read_text(encoding="utf-8")
    major, minor, _ = (
        int(n) for n in text.split("\n  version: ", 1)[1].split("\n", 1)[0].split(".")
    )
    return f"{major}.{minor + 1}.0" if part == "minor" else f"{major + 1}.0.0"


def _release(copy: Path, version: str, *, changelog: bool = True) -> None:
    """Set info.version of the copy's contract and (unless told not to) add a changelog entry."""
    openapi = copy / "contracts/openapi.yaml"
    text = openapi.read_text(encoding="utf-8")
    current = text.split("\n  version: ", 1)[1].split("\n", 1)[0]
    openapi.write_text(text.replace(f"\n  version: {current}\n", f"\n  version: {version}\n"))
    if changelog:
        path = copy / "contracts/CHANGELOG.md"
        head, rest = path.read_text(encoding="utf-8").split("\n## ", 1)
        path.write_text(f"{head}\n## {version}\n\n- A change.\n\n## {rest}", encoding="utf-8")


def _release_admin_major(copy: Path) -> None:
    """Bump the major of the copy's admin contract and add its changelog entry."""
    admin = copy / "contracts/admin.yaml"
    text = admin.read_text(encoding="utf-8")
    current = text.split("\n  version: ", 1)[1].split("\n", 1)[0]
    version = f"{int(current.split('.')[0]) + 1}.0.0"
    admin.write_text(text.replace(f"\n  version: {current}\n", f"\n  version: {version}\n"))
    path = copy / "contracts/CHANGELOG.md"
    head, rest = path.read_text(encoding="utf-8").split("\n## ", 1)
    entry = f"## Admin contract {version}\n\n- A change.\n\n"
    path.write_text(f"{head}\n{entry}## {rest}", encoding="utf-8")


def _diff(
    copy: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, str(copy / "tools" / "contract_diff.py"), "--base", "HEAD", *args]
    return subprocess.run(cmd, cwd=copy, capture_output=True, text=True, env=env)


@pytest.mark.parametrize(
    ("schema_file", "edit", "rule"),
    [
        ("origin_candidate.json", _drop_body, "response.property.removed"),
        (
            "provider.json",
            lambda s: s.update(enum=["jira", "linear"]),
            "request.enum.value_removed",
        ),
        (
            "issue_search_request.json",
            lambda s: s["properties"]["limit"].update(maximum=20),
            "request.maximum.lowered",
        ),
        # The client validates answers against the closed schema it was built with.
        ("origin_candidate.json", _add_optional, "response.property.added"),
    ],
    ids=[
        "response-field-removed",
        "request-enum-narrowed",
        "request-maximum-lowered",
        "response-field-added-to-closed-object",
    ],
)
def test_contract_diff_fails_on_a_breaking_change(
    tmp_path: Path, schema_file: str, edit: object, rule: str
) -> None:
    _require_node_tool("optic")
    copy = _tracked_copy(tmp_path)
    # The untouched copy passes (optic's view of it: the additive-change test's last run).
    assert _diff(copy, "--no-optic").returncode == 0
    _edit_json(copy / "contracts/schemas" / schema_file, edit)
    _release(copy, _next(copy, "minor"))
    result = _diff(copy, "--optic", str(NODE_BIN / "optic"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "breaks clients of HEAD" in result.stderr
    assert f"{rule} " in result.stdout


def test_contract_diff_accepts_an_additive_change_with_a_new_version_and_changelog_entry(
    tmp_path: Path,
) -> None:
    _require_node_tool("optic")
    copy = _tracked_copy(tmp_path)
    _edit_json(copy / "contracts/schemas/origin_bind_request.json", _add_optional)
    result = _diff(copy, "--optic", str(NODE_BIN / "optic"))
    assert result.returncode == 1, "a contract change without a new version must fail"
    assert "version.not_bumped" in result.stdout
    minor = _next(copy, "minor")
    _release(copy, minor, changelog=False)
    result = _diff(copy, "--no-optic")
    assert result.returncode == 1
    assert (
        result.stdout
        == f"changelog.missing_entry: contracts/CHANGELOG.md has no `## {minor}` entry\n"
    )
    _release(copy, minor)
    result = _diff(copy, "--optic", str(NODE_BIN / "optic"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_allow_breaking_still_needs_the_major_bump(tmp_path: Path) -> None:
    copy = _tracked_copy(tmp_path)
    _edit_json(copy / "contracts/schemas/provider.json", lambda s: s.update(enum=["jira"]))
    major = _next(copy, "major")
    _release(copy, _next(copy, "minor"))
    allow = {**os.environ, "ALLOW_BREAKING": "1"}  # noqa: TID251 - child process env
    minor = _diff(copy, "--no-optic", env=allow)
    assert minor.returncode == 1
    assert "version.major_not_bumped" in minor.stdout
    _release(copy, major)
    # provider.json is also the admin contract's `Provider`: its break needs that major too.
    _release_admin_major(copy)
    bumped = _diff(copy, "--no-optic", env=allow)
    assert bumped.returncode == 0, bumped.stdout + bumped.stderr
    assert "request.enum.value_removed" in bumped.stdout
    assert _diff(copy, "--no-optic").returncode == 1, "without ALLOW_BREAKING a break still fails"


def test_bundling_refuses_a_key_twice_in_one_mapping(tmp_path: Path) -> None:
    contracts = tmp_path / "contracts"
    shutil.copytree(ROOT / "contracts", contracts)
    openapi = contracts / "openapi.yaml"
    text = openapi.read_text(encoding="utf-8")
    twice = "        '401':\n          $ref: '#/components/responses/Unauthenticated'\n"
    openapi.write_text(text.replace(twice, twice * 2, 1), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "bundle_contract.py"),
            str(openapi),
            str(tmp_path / "out.json"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "duplicate key '401' in one mapping" in result.stderr


def _admin_release(copy: Path, version: str) -> None:
    """Set the copy's admin contract version and add its `## Admin contract` changelog entry."""
    admin = copy / "contracts/admin.yaml"
    text = admin.read_text(encoding="utf-8")
    current = text.split("\n  version: ", 1)[1].split("\n", 1)[0]
    admin.write_text(text.replace(f"\n  version: {current}\n", f"\n  version: {version}\n"))
    path = copy / "contracts/CHANGELOG.md"
    head, rest = path.read_text(encoding="utf-8").split("\n## ", 1)
    path.write_text(
        f"{head}\n## Admin contract {version}\n\n- A change.\n\n## {rest}", encoding="utf-8"
    )


def test_contract_diff_gates_the_admin_contract_with_its_own_version_and_entries(
    tmp_path: Path,
) -> None:
    copy = _tracked_copy(tmp_path)
    admin = copy / "contracts/admin.yaml"
    text = admin.read_text(encoding="utf-8")
    version = text.split("\n  version: ", 1)[1].split("\n", 1)[0]
    major, minor, _ = (int(n) for n in version.split("."))
    # Narrowing a request enum of the admin contract breaks its clients.
    narrowed = text.replace("enum: [searchIssues, ", "enum: [", 1)
    assert narrowed != text
    admin.write_text(narrowed, encoding="utf-8")
    result = _diff(copy, "--no-optic")
    assert result.returncode == 1
    assert "version.not_bumped" in result.stdout
    assert "request.enum.value_removed" in result.stdout
    _admin_release(copy, f"{major}.{minor + 1}.0")
    allow = {**os.environ, "ALLOW_BREAKING": "1"}  # noqa: TID251 - child process env
    minor_bump = _diff(copy, "--no-optic", env=allow)
    assert minor_bump.returncode == 1
    assert "version.major_not_bumped" in minor_bump.stdout
    _admin_release(copy, f"{major + 1}.0.0")
    bumped = _diff(copy, "--no-optic", env=allow)
    assert bumped.returncode == 0, bumped.stdout + bumped.stderr
    # The SaaS contract's own entries do not count for the admin contract.
    admin.write_text(narrowed.replace(f"version: {version}", "version: 99.0.0", 1))
    path = copy / "contracts/CHANGELOG.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n## 99.0.0\n\n- Not admin.\n")
    wrong_heading = _diff(copy, "--no-optic", env=allow)
    assert wrong_heading.returncode == 1
    assert "has no `## Admin contract 99.0.0` entry" in wrong_heading.stdout


def test_optic_is_a_second_opinion_unless_strict(tmp_path: Path) -> None:
    """optic flags a safe change of the corpus (a request media type added): it is reported, and
    fails the gate only with --strict-optic."""
    optic = _require_node_tool("optic")
    sys.path.insert(0, str(ROOT / "tools"))
    import contract_diff

    from tests.contract.test_breaking_changes import CORPUS, _pair

    [case] = [c for c in CORPUS["safe"] if c["id"] == "request-media-type-added"]
    old, new = _pair(case)
    # A minor bump: optic waives its rules on a major one.
    new["info"] = {**new["info"], "version": "1.1.0"}
    before, after = contract_diff.Side("old", old, None), contract_diff.Side("new", new, None)
    assert contract_diff.optic_check(old, new, optic) == 1
    assert contract_diff.run(before, after, optic=optic, allow_breaking=False, as_json=False) == 0
    strict = contract_diff.run(
        before, after, optic=optic, allow_breaking=False, as_json=False, strict_optic=True
    )
    assert strict == 1
