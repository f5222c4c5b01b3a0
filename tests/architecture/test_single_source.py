"""Facts of the contract reach code through generation, not by copying.

No hand-written module repeats a `pattern` of the contract, and none keeps its own table from an
error code to a status (the catalogue in `contracts/schemas/error_code.json` is the only one).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kitty_contracts import ErrorCode
from kitty_contracts.validation import admin_document, openapi_document

from tests.conftest import ROOT

HAND_WRITTEN = [ROOT / "client" / "kitty_origin", ROOT / "mock_saas" / "kitty_mock_saas"]
SOURCES = sorted(p for package in HAND_WRITTEN for p in package.rglob("*.py"))
CODES = {code.value for code in ErrorCode}


def _patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from _patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from _patterns(item)


CONTRACT_PATTERNS = sorted(set(_patterns(openapi_document())) | set(_patterns(admin_document())))


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_contract_pattern_is_copied_into_code(path: Path) -> None:
    constants = _string_constants(path)
    copied = [pattern for pattern in CONTRACT_PATTERNS if pattern in constants]
    assert copied == [], f"read these from the contract (kitty_contracts.validation): {copied}"


def _status_code_pairs(path: Path) -> list[str]:
    """Dict entries pairing an error code with an HTTP status, either way round."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        for key, value in zip(node.keys, node.values, strict=True):
            for a, b in ((key, value), (value, key)):
                code = _code_name(a)
                status = _status(b)
                if code is not None and status is not None:
                    found.append(f"{code}: {status}")
    return found


def _code_name(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Attribute) and node.attr in CODES:
        return node.attr
    if isinstance(node, ast.Constant) and node.value in CODES:
        return str(node.value)
    return None


def _status(node: ast.AST | None) -> int | None:
    if isinstance(node, ast.Tuple) and node.elts:
        node = node.elts[0]
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value if 400 <= node.value <= 599 else None
    return None


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_hand_written_table_from_error_code_to_status(path: Path) -> None:
    assert _status_code_pairs(path) == [], "read statuses from kitty_contracts.error_catalogue"


def test_the_table_detector_finds_the_old_kind_of_table(tmp_path: Path) -> None:
    sample = tmp_path / "old.py"
    sample.write_text(
        "T = {ErrorCode.rate_limited: (429, 'rate_limit')}\nS = {503: 'service_unavailable'}\n"
    )
    assert _status_code_pairs(sample) == ["rate_limited: 429", "service_unavailable: 503"]
    assert "^[0-9A-HJKMNP-TV-Z]{26}$" in CONTRACT_PATTERNS
