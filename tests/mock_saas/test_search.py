"""Issue search: mapped, user-scoped, key over text, through the tracker connectors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from kitty_contracts import IssueSearchResponse
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings

from tests.mock_saas.conftest import ALICE, BOB, SEARCH
from tests.mock_saas.test_auth_and_errors import assert_envelope

pytestmark = pytest.mark.both_backends


def search(
    mock: TestClient, headers: dict[str, str] | None = None, **body: object
) -> IssueSearchResponse:
    response = mock.post(SEARCH, json=body, headers=headers or ALICE)
    assert response.status_code == 200, response.text
    return IssueSearchResponse.model_validate(response.json())


def test_free_text_returns_relevance_ranked_text_candidates(mock: TestClient) -> None:
    result = search(mock, provider="linear", project_slug="acme-web", query_text="Clerk auth")
    assert [c.external_issue_key for c in result.candidates] == ["WEB-123", "WEB-127"]
    assert {c.match_type.value for c in result.candidates} == {"text"}
    assert (result.resource_type.value, result.resource_id) == (
        "linear_team",
        "8f6b2c1e-4a5d-4e2b-9c3f-1a2b3c4d5e6f",
    )
    assert result.query_used == "Clerk auth"


def test_exact_key_returns_one_exact_candidate(mock: TestClient) -> None:
    result = search(mock, provider="jira", project_slug="acme-iam", query_key="IAM-42")
    assert [(c.external_issue_key, c.match_type.value) for c in result.candidates] == [
        ("IAM-42", "exact")
    ]
    assert result.candidates[0].url == "https://acme.atlassian.net/browse/IAM-42"


def test_key_wins_over_text_fr_002(mock: TestClient) -> None:
    result = search(
        mock, provider="jira", project_slug="acme-iam", query_key="IAM-42", query_text="Clerk"
    )
    assert [c.external_issue_key for c in result.candidates] == ["IAM-42"]
    assert result.query_used == "IAM-42"


def test_no_match_is_an_empty_list(mock: TestClient) -> None:
    result = search(
        mock, provider="linear", project_slug="acme-web", query_text="quantum teleportation"
    )
    assert result.candidates == []


def test_key_of_another_project_is_not_found_fr_009(mock: TestClient) -> None:
    result = search(mock, provider="jira", project_slug="acme-iam", query_key="OPS-214")
    assert result.candidates == []


def test_limit_is_honoured(mock: TestClient) -> None:
    result = search(mock, provider="linear", project_slug="acme-web", query_text="Clerk", limit=1)
    assert len(result.candidates) == 1


def test_an_integral_float_limit_is_a_valid_limit(mock: TestClient) -> None:
    # JSON Schema's `integer` admits 1.0; the handler must treat it as 1, for every provider.
    for provider, project in (("linear", "acme-web"), ("jira", "acme-iam"), ("github", "acme-web")):
        result = search(mock, provider=provider, project_slug=project, query_text="a", limit=1.0)
        assert len(result.candidates) <= 1


def test_binding_ref_routes_like_project_slug(mock: TestClient) -> None:
    result = search(mock, provider="jira", binding_ref="bnd_acme_iam", query_key="IAM-42")
    assert result.resource_id == "10042"


def test_user_without_linked_identity_gets_403_user_action_fr_010(mock: TestClient) -> None:
    response = mock.post(
        SEARCH,
        json={"provider": "jira", "project_slug": "acme-iam", "query_text": "keys"},
        headers=BOB,
    )
    body = assert_envelope(response, 403, "user_link_required")
    assert body["user_action_required"] is True
    assert "dashboard" in str(body["message"])


def test_project_without_mapping_is_404(mock: TestClient) -> None:
    response = mock.post(
        SEARCH,
        json={"provider": "linear", "project_slug": "acme-unmapped", "query_text": "auth"},
        headers=ALICE,
    )
    assert_envelope(response, 404, "resource_mapping_not_found")


def test_invalid_key_for_the_provider_is_422_naming_the_field(mock: TestClient) -> None:
    response = mock.post(
        SEARCH,
        json={"provider": "linear", "project_slug": "acme-web", "query_key": "WEB-abc"},
        headers=ALICE,
    )
    body = assert_envelope(response, 422, "invalid_query")
    assert body["details"][0]["field"] == "body.query_key"  # type: ignore[index]


def test_missing_query_is_422_invalid_query(mock: TestClient) -> None:
    response = mock.post(
        SEARCH, json={"provider": "linear", "project_slug": "acme-web"}, headers=ALICE
    )
    assert_envelope(response, 422, "invalid_query")


def test_limit_out_of_range_is_422(mock: TestClient) -> None:
    response = mock.post(
        SEARCH,
        json={"provider": "linear", "project_slug": "acme-web", "query_text": "auth", "limit": 51},
        headers=ALICE,
    )
    body = assert_envelope(response, 422, "validation_failed")
    assert body["details"][0]["field"] == "body.limit"  # type: ignore[index]


def test_github_repo_search_never_returns_pull_requests(mock: TestClient) -> None:
    result = search(mock, provider="github", project_slug="acme-web", query_text="the", limit=50)
    assert result.resource_type.value == "github_repo"
    assert all("#7" not in c.external_issue_key for c in result.candidates)


def test_search_only_shows_tickets_the_user_can_see(tmp_path: Path) -> None:
    """Two acme users linked to different Jira accounts: IAM-44 is restricted to one of them."""
    from kitty_mock_saas.fixtures import load_fixtures

    fixtures = load_fixtures(None).model_dump(mode="json")
    fixtures["users"].append(
        {
            "id": "dan@acme.example",
            "email": "dan@acme.example",
            "name": "Dan",
            "token": "tok-dan",
            "teams": ["acme"],
            "links": {"jira": "jira-tok-carol"},
        }
    )
    path = tmp_path / "fixtures.yaml"
    path.write_text(yaml.safe_dump(fixtures))
    with TestClient(create_app(MockSettings(fixtures_path=path))) as mock:
        body = {"provider": "jira", "project_slug": "acme-iam", "query_text": "break-glass access"}
        alice = {
            c["external_issue_key"]
            for c in mock.post(SEARCH, json=body, headers=ALICE).json()["candidates"]
        }
        dan_headers = {"Authorization": "Bearer tok-dan", "X-Team-Slug": "acme"}
        dan = {
            c["external_issue_key"]
            for c in mock.post(SEARCH, json=body, headers=dan_headers).json()["candidates"]
        }
    assert "IAM-44" in dan
    assert "IAM-44" not in alice
