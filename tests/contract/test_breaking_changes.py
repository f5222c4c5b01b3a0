"""Our breaking-change check against a corpus of one-change contract pairs, both ways.

Every breaking case must be reported with exactly its rule ids, every safe case with none; the
real contract passes against itself; `make contract-diff OLD=.. NEW=..` works on plain files.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
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


@pytest.mark.parametrize("case", CORPUS["safe"], ids=_ids(CORPUS["safe"]))
def test_each_safe_change_passes(case: dict[str, Any]) -> None:
    old, new = _pair(case)
    assert old != new
    assert [f.line() for f in compare_documents(old, new)] == []


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
