"""JSON nesting against the contract's limit (64): a request or an answer one level deeper is
refused, one at the limit is judged by its schema, and brackets that do not nest (in strings,
side by side) never count as depth."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from kitty_mock_saas.stage import contract_operations
from kitty_mock_saas.stage.response import violations

from tests.mock_saas.conftest import ALICE, SEARCH

JSON = {"Content-Type": "application/json"}
LIMIT = 64
_SEARCH_ANSWER = contract_operations().by_id["searchIssues"]


def _nested(levels: int, opening: str) -> str:
    """`levels` levels of arrays or objects around a number."""
    closing = "]" if opening == "[" else "}"
    return opening * levels + "1" + closing * levels


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_a_request_one_level_past_the_limit_is_refused_as_too_deep(
    mock: TestClient, opening: str
) -> None:
    for levels, too_deep in ((LIMIT - 1, False), (LIMIT, True)):
        body = '{"provider": "linear", "project_slug": "acme-web", "query_text": ' + _nested(
            levels, opening
        )
        response = mock.post(SEARCH, content=body + "}", headers={**ALICE, **JSON})
        assert response.status_code == 422
        assert ("levels deep" in response.json()["message"]) is too_deep, levels


def test_brackets_in_strings_and_side_by_side_are_not_depth(mock: TestClient) -> None:
    text = "[" * 70 + "{" * 70
    body = {"provider": "linear", "project_slug": "acme-web", "query_text": text}
    response = mock.post(SEARCH, json=body, headers=ALICE)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_an_answer_one_level_past_the_limit_is_a_finding(opening: str) -> None:
    headers = [(b"content-type", b"application/json")]
    for levels, too_deep in ((LIMIT - 1, False), (LIMIT, True)):
        body = ('{"candidates": ' + _nested(levels, opening) + "}").encode()
        found = violations(_SEARCH_ANSWER, 200, headers, body)
        assert found, levels  # never a conforming answer
        assert found[-1].startswith("body: nested more than 64") is too_deep, (levels, found)


def test_a_wide_answer_with_many_brackets_is_checked_by_its_schema() -> None:
    candidate = {"title": "[{" * 40}
    body = json.dumps({"candidates": [candidate] * 40}).encode()
    found = violations(_SEARCH_ANSWER, 200, [(b"content-type", b"application/json")], body)
    assert found
    assert not any("nested more than" in f for f in found)
