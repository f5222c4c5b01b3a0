"""Exchanges held to a provider's published OpenAPI description: statuses, bodies, parameters."""

from __future__ import annotations

import json
from typing import Any

import pytest
from kitty_mock_saas.provider_contracts import OpenApiContract, openapi_contract

JSON = "application/json; charset=utf-8"


def body(value: Any) -> bytes:
    return json.dumps(value).encode()


@pytest.fixture(scope="module")
def github() -> OpenApiContract:
    return openapi_contract("github")


@pytest.fixture(scope="module")
def jira() -> OpenApiContract:
    return openapi_contract("jira")


def label(**changes: Any) -> dict[str, Any]:
    return {
        "id": 1,
        "node_id": "LA_1",
        "url": "https://api.github.com/repos/acme/web/labels/bug",
        "name": "bug",
        "description": None,
        "color": "d73a4a",
        "default": True,
        **changes,
    }


def test_literal_segments_win_over_parameters(github: OpenApiContract) -> None:
    match = github.match("GET", "/repos/acme/web/issues/events")
    assert match is not None
    assert match.template == "/repos/{owner}/{repo}/issues/events"
    match = github.match("GET", "/repos/acme/web/issues/7")
    assert match is not None
    assert match.path_params == {"owner": "acme", "repo": "web", "issue_number": "7"}


def test_provider_url_forms_map_onto_the_described_paths(
    github: OpenApiContract, jira: OpenApiContract
) -> None:
    assert github.match("GET", "/api/v3/repos/acme/web") is not None
    assert github.match("GET", "/repositories/42/issues/7") is not None
    v2 = jira.match("GET", "/rest/api/2/issue/IAM-1")
    assert v2 is not None
    assert v2.template == "/rest/api/3/issue/{issueIdOrKey}"
    assert jira.match("GET", "/ex/jira/cloud-1/rest/api/3/issue/IAM-1") is not None


def test_a_schema_correct_answer_passes_and_a_wrong_one_names_the_field(
    github: OpenApiContract,
) -> None:
    path = "/repos/acme/web/labels/bug"
    assert github.response_problems("GET", path, 200, JSON, body(label())) == []
    assert github.response_problems("GET", path, 200, JSON, body(label(color=None))) == [
        f"GET {path} -> 200 at $.color: None is not of type 'string'"
    ]


def test_nullable_fields_admit_null(github: OpenApiContract) -> None:
    # `description` is `type: string, nullable: true` in GitHub's `label` schema.
    path = "/repos/acme/web/labels/bug"
    assert github.response_problems("GET", path, 200, JSON, body(label(description=None))) == []


def test_an_undocumented_status_is_a_problem(github: OpenApiContract) -> None:
    problems = github.response_problems("GET", "/repos/acme/web/labels/bug", 418, JSON, b"{}")
    assert problems == [
        "GET /repos/acme/web/labels/bug -> 418: status 418 is not documented "
        "for GET /repos/{owner}/{repo}/labels/{name}"
    ]


def test_provider_wide_answers_hold_to_the_provider_error_body(
    github: OpenApiContract, jira: OpenApiContract
) -> None:
    limited = body({"message": "API rate limit exceeded", "documentation_url": "https://x"})
    assert github.response_problems("GET", "/user", 403, JSON, limited) == []
    assert github.response_problems("GET", "/user", 429, JSON, body({"message": 1})) != []
    assert jira.response_problems("GET", "/rest/api/3/issue/X-1", 429, JSON, limited) != []


def test_unknown_routes_answer_the_provider_404_body(github: OpenApiContract) -> None:
    not_found = body({"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})
    assert github.response_problems("GET", "/nope", 404, JSON, not_found) == []
    assert github.response_problems("GET", "/nope", 404, "text/plain", b"Not Found") == [
        "GET /nope -> 404: answered text/plain, not JSON"
    ]
    assert github.response_problems("GET", "/nope", 200, JSON, b"{}") == [
        "GET /nope -> 200: the description has no such operation"
    ]


def test_no_content_answers_carry_no_body(github: OpenApiContract) -> None:
    path = "/repos/acme/web/issues/1/labels/bug"
    assert github.response_problems("DELETE", path, 200, JSON, body([label()])) == []
    problems = github.response_problems(
        "DELETE", "/repos/acme/web/issues/1/labels", 204, JSON, b"[]"
    )
    assert problems == ["DELETE /repos/acme/web/issues/1/labels -> 204: a 204 has no body"]


def test_requests_are_held_to_parameters_and_request_body(github: OpenApiContract) -> None:
    path = "/repos/acme/web/issues"
    assert (
        github.request_problems("GET", path, [("state", "all"), ("per_page", "50")], None, b"")
        == []
    )
    assert github.request_problems("GET", path, [("state", "any")], None, b"") == [
        f"GET {path} query parameter state at $: 'any' is not one of ['open', 'closed', 'all']"
    ]
    assert github.request_problems("GET", path, [("q", "x")], None, b"") == [
        f"GET {path}: query parameter 'q' is not defined"
    ]
    assert github.request_problems("POST", path, [], JSON, body({"title": "x"})) == []
    assert github.request_problems("POST", path, [], JSON, body({"body": "no title"})) == [
        f"POST {path} request body at $: 'title' is a required property"
    ]
    assert github.request_problems("GET", "/search/issues", [], None, b"") == [
        "GET /search/issues: required query parameter 'q' is missing"
    ]
    assert github.request_problems("GET", "/user", [], JSON, b"{}") == [
        "GET /user: sends a body the operation does not take"
    ]
