"""Our breaking-change check against a corpus of one-change contract pairs, both ways.

Every breaking case must be reported with exactly its rule ids, every safe case with none; the
real contract passes against itself; `make contract-diff OLD=.. NEW=..` works on plain files.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import contract_diff
from breaking import compare_documents, version_problems
from breaking.document import Document
from bundle_contract import bundle
from contract_diff import contracts_at

CASES = Path(__file__).parent / "breaking_cases"
BASE: dict[str, Any] = yaml.safe_load((CASES / "base.yaml").read_text(encoding="utf-8"))
CORPUS: dict[str, list[dict[str, Any]]] = yaml.safe_load(
    (CASES / "cases.yaml").read_text(encoding="utf-8")
)


def _patched(doc: dict[str, Any], steps: list[dict[str, Any]]) -> dict[str, Any]:
    """`doc` with each step applied: {set: pointer, value: v} ("-" appends) or {delete: pointer}."""
    out = copy.deepcopy(doc)
    for step in steps:
        pointer = step.get("set", step.get("delete"))
        assert isinstance(pointer, str), step
        *parents, last = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
        target: Any = out
        for token in parents:
            target = target[int(token)] if isinstance(target, list) else target[token]
        if "delete" in step:
            del target[int(last) if isinstance(target, list) else last]
        elif isinstance(target, list):
            target.append(step["value"]) if last == "-" else target.__setitem__(
                int(last), step["value"]
            )
        else:
            target[last] = step["value"]
    return out


def _pair(case: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    old = _patched(BASE, case.get("old_patch", []))
    return old, _patched(BASE, case["patch"])


def _ids(cases: list[dict[str, Any]]) -> list[str]:
    return [case["id"] for case in cases]


@pytest.mark.parametrize("case", CORPUS["breaking"], ids=_ids(CORPUS["breaking"]))
def test_each_breaking_change_is_reported_with_its_rule(case: dict[str, Any]) -> None:
    old, new = _pair(case)
    findings = compare_documents(old, new)
    assert sorted({f.rule for f in findings}) == sorted(case["expect"]), [
        f.line() for f in findings
    ]
    if "operations" in case:
        assert sorted({f.operation for f in findings}) == case["operations"]
    # Every pointer names a real place: the change in the new document, its origin in the old.
    for finding in findings:
        Document(new).at(finding.new_pointer)
        Document(old).at(finding.old_pointer)
    tolerant = compare_documents(old, new, tolerant_readers=True)
    assert sorted({f.rule for f in tolerant}) == sorted(
        case.get("tolerant_readers", case["expect"])
    )


@pytest.mark.parametrize("case", CORPUS["safe"], ids=_ids(CORPUS["safe"]))
def test_each_safe_change_passes(case: dict[str, Any]) -> None:
    old, new = _pair(case)
    assert old != new
    assert [f.line() for f in compare_documents(old, new)] == []
    assert compare_documents(old, new, tolerant_readers=True) == []


def test_the_corpus_covers_every_rule_the_issue_names() -> None:
    named = {
        "request.type.narrowed", "request.enum.value_removed", "request.minimum.raised",
        "request.exclusiveMinimum.raised", "request.maximum.lowered",
        "request.exclusiveMaximum.lowered", "request.minLength.raised", "request.maxLength.lowered",
        "request.minItems.raised", "request.maxItems.lowered", "request.pattern.added",
        "request.pattern.changed", "request.property.removed", "request.property.now_required",
        "request.property.new_required", "request.parameter.new_required",
        "request.parameter.now_required", "request.format.added", "request.nullable.removed",
        "request.const.added", "request.oneOf.branch_removed", "response.type.widened",
        "response.enum.value_added", "response.maximum.raised", "response.minimum.lowered",
        "response.maxLength.raised", "response.pattern.removed", "response.pattern.changed",
        "response.property.now_optional", "response.nullable.added", "response.property.removed",
        "response.status.undocumented_error", "response.status.success_removed",
        "operation.removed", "response.header.removed",
    }  # fmt: skip
    covered = {rule for case in CORPUS["breaking"] for rule in case["expect"]}
    assert named - covered == set()


def test_a_recursive_schema_is_compared_once_per_place() -> None:
    old = _patched(BASE, [])
    new = _patched(
        BASE, [{"set": "/components/schemas/Item/properties/count/type", "value": "number"}]
    )
    findings = compare_documents(old, new)
    # Item is reached directly and through Item.children and ItemPage.items: one finding per operation.
    assert [(f.operation, f.new_pointer) for f in findings] == [
        (op, "/components/schemas/Item/properties/count/type")
        for op in ("createItem", "getItem", "listItems")
    ]


def test_the_real_contract_passes_against_itself() -> None:
    doc = bundle(ROOT / "contracts" / "openapi.yaml")
    assert compare_documents(doc, copy.deepcopy(doc)) == []
    assert version_problems(doc, copy.deepcopy(doc), breaking=False, new_changelog="") == []


def test_head_against_head_has_no_findings(tmp_path: Path) -> None:
    old = bundle(contracts_at("HEAD", tmp_path / "a"))
    new = bundle(contracts_at("HEAD", tmp_path / "b"))
    assert compare_documents(old, new) == []


def test_a_lowered_request_maximum_in_the_real_contract_is_reported() -> None:
    """optic 1.0.9 reports this one as "changed" only."""
    old = bundle(ROOT / "contracts" / "openapi.yaml")
    new = copy.deepcopy(old)
    limit = new["components"]["schemas"]["IssueSearchRequest"]["properties"]["limit"]
    limit["maximum"] = limit["maximum"] - 1
    findings = compare_documents(old, new)
    assert [(f.rule, f.operation) for f in findings] == [
        ("request.maximum.lowered", "searchIssues")
    ]
    assert (
        findings[0].new_pointer == "/components/schemas/IssueSearchRequest/properties/limit/maximum"
    )


def _make_diff(old: Path, new: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`make contract-diff OLD= NEW=`; make turns the script's exit 1 into its own exit 2."""
    cmd = ["make", "-s", "-C", str(ROOT), "contract-diff", f"OLD={old}", f"NEW={new}"]
    return subprocess.run([*cmd, f"ARGS={' '.join(args)}"], capture_output=True, text=True)


def test_make_contract_diff_compares_two_plain_files(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old, new = tmp_path / "old" / "api.yaml", tmp_path / "new" / "api.json"
    old.write_text(yaml.safe_dump(BASE, sort_keys=False), encoding="utf-8")
    (tmp_path / "new" / "CHANGELOG.md").write_text("# Changes\n\n## 1.1.0\n\n- Wider.\n")

    safe = _patched(BASE, [{"set": "/info/version", "value": "1.1.0"}])
    safe["components"]["schemas"]["CreateItemRequest"]["properties"]["color"] = {"type": "string"}
    new.write_text(json.dumps(safe), encoding="utf-8")
    passed = _make_diff(old, new)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout == ""

    broken = copy.deepcopy(safe)
    broken["components"]["schemas"]["CreateItemRequest"]["properties"]["priority"]["maximum"] = 3
    new.write_text(json.dumps(broken), encoding="utf-8")
    failed = _make_diff(old, new)
    assert failed.returncode == 2
    assert failed.stdout.splitlines() == [
        "request.maximum.lowered createItem: 5 -> 3 at "
        "/components/schemas/CreateItemRequest/properties/priority/maximum "
        "(old /components/schemas/CreateItemRequest/properties/priority/maximum)",
        "version.major_not_bumped: a breaking change needs a major bump of info.version "
        "(1.0.0 -> 1.1.0; expected 2.0.0)",
    ]
    assert contract_diff.main(["--old", str(old), "--new", str(new), "--no-optic"]) == 1
    report = json.loads(_make_diff(old, new, "--json", "--no-optic").stdout)
    assert [f["rule"] for f in report["findings"]] == ["request.maximum.lowered"]
    assert report["passed"] is False


def test_make_contract_diff_bundles_a_multi_file_contract(tmp_path: Path) -> None:
    for side in ("old", "new"):
        shutil.copytree(ROOT / "contracts", tmp_path / side)
    schema = tmp_path / "new" / "schemas" / "issue_search_request.json"
    data = json.loads(schema.read_text(encoding="utf-8"))
    data["properties"]["limit"]["maximum"] -= 1
    schema.write_text(json.dumps(data), encoding="utf-8")
    result = _make_diff(tmp_path / "old" / "openapi.yaml", tmp_path / "new" / "openapi.yaml")
    assert result.returncode == 2
    assert result.stdout.startswith("request.maximum.lowered searchIssues: ")
    assert "version.not_bumped" in result.stdout


@pytest.mark.parametrize(
    ("change", "breaking", "new_log", "old_log", "expected"),
    [
        ({}, False, "", "", []),
        ({"version": "1.1.0"}, False, "## 1.1.0\n", "## 1.0.0\n", []),
        ({"version": "2.0.0"}, True, "## 2.0.0\n", "## 1.0.0\n", []),
        ({"version": "1.1.0"}, True, "## 1.1.0\n", "## 1.0.0\n", ["version.major_not_bumped"]),
        ({"description": "x"}, False, "## 1.0.0\n", "## 1.0.0\n", ["version.not_bumped", "changelog.entry_not_new"]),
        ({"version": "1.1.0"}, False, "## 1.0.0\n", "## 1.0.0\n", ["changelog.missing_entry"]),
        ({"version": "0.9.0"}, False, "## 0.9.0\n", "## 1.0.0\n", ["version.not_increased"]),
        ({"version": "1.1"}, False, "## 1.1\n", "## 1.0.0\n", ["version.invalid"]),
        ({"version": "1.1.0"}, False, None, None, []),
    ],
    ids=[
        "unchanged", "minor-with-entry", "breaking-major-with-entry", "breaking-minor",
        "not-bumped", "no-entry", "version-lowered", "not-semver", "no-changelog-to-check",
    ],
)  # fmt: skip
def test_the_version_rule(
    change: dict[str, str],
    breaking: bool,
    new_log: str | None,
    old_log: str | None,
    expected: list[str],
) -> None:
    new = _patched(BASE, [{"set": f"/info/{key}", "value": v} for key, v in change.items()])
    problems = version_problems(
        BASE, new, breaking=breaking, new_changelog=new_log, old_changelog=old_log
    )
    assert [p.rule for p in problems] == expected


def test_the_generated_bundle_and_its_sources_are_one_contract(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bundled = ROOT / "generated" / "kitty_contracts" / "openapi.json"
    sources = ROOT / "contracts" / "openapi.yaml"
    assert contract_diff.main(["--old", str(bundled), "--new", str(sources), "--no-optic"]) == 0
    assert capsys.readouterr().out == ""


def test_a_cycle_of_bare_refs_is_compared_as_written() -> None:
    loop = [
        {"set": "/components/schemas/A", "value": {"$ref": "#/components/schemas/B"}},
        {"set": "/components/schemas/B", "value": {"$ref": "#/components/schemas/A"}},
        {
            "set": "/components/schemas/Item/properties/loop",
            "value": {"$ref": "#/components/schemas/A"},
        },
    ]
    old = _patched(BASE, loop)
    new = _patched(old, [{"set": "/components/schemas/Item/properties/id/maxLength", "value": 65}])
    assert {f.rule for f in compare_documents(old, new)} == {"response.maxLength.raised"}
