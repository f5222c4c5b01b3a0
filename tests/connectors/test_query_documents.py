"""Query documents and query strings the connectors send are valid for their providers."""

from __future__ import annotations

import pytest
from kitty_mock_saas.connectors.github import github_search_query
from kitty_mock_saas.connectors.jira import escape_jql_text
from kitty_mock_saas.connectors.linear import LINEAR_QUERIES, LINEAR_STATE_DOCUMENTS
from kitty_mock_saas.provider_contracts.sdl import document_problems

LINEAR_DOCUMENTS = {**LINEAR_QUERIES, **LINEAR_STATE_DOCUMENTS}


@pytest.mark.parametrize("name", sorted(LINEAR_DOCUMENTS))
def test_linear_documents_validate_against_linears_schema(name: str) -> None:
    assert document_problems(LINEAR_DOCUMENTS[name]) == []


def test_a_wrong_document_would_be_caught() -> None:
    wrong = LINEAR_QUERIES["SearchIssues"].replace("totalCount", "total")
    assert document_problems(wrong) != []


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("signing keys", "signing keys"),
        ('say "hi"', 'say \\\\\\"hi\\\\\\"'),
        ("a-b (c)", "a\\\\-b \\\\(c\\\\)"),
        ("back\\slash", "back\\\\\\\\slash"),
    ],
)
def test_jql_text_is_escaped_for_lucene_then_for_the_jql_string(text: str, escaped: str) -> None:
    assert escape_jql_text(text) == escaped


def test_github_queries_are_scoped_typed_and_defused() -> None:
    assert github_search_query("acme/web", 'login "flicker" repo:evil/x -label:bug OR') == (
        'repo:acme/web is:issue in:title,body login flicker "repo:evil/x" "-label:bug" "OR"'
    )
