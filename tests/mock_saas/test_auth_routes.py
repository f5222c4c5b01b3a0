"""`GET /api/v1/me` and the OAuth refresh grant, as `spec-kitty auth` uses them."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from kitty_contracts import CurrentUser, TokenResponse

from tests.mock_saas.conftest import ALICE
from tests.mock_saas.test_auth_and_errors import assert_envelope

pytestmark = pytest.mark.both_backends

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_me_lists_the_user_with_email_as_id_and_their_teams(mock: TestClient) -> None:
    me = CurrentUser.model_validate(mock.get("/api/v1/me", headers=ALICE).json())
    assert me.user_id == me.email == "alice@acme.example"
    shared = [t for t in me.teams if not t.is_private_teamspace]
    private = [t for t in me.teams if t.is_private_teamspace]
    assert [t.slug for t in shared] == ["acme"]
    assert len(private) == 1


def test_me_needs_a_token(mock: TestClient) -> None:
    assert_envelope(mock.get("/api/v1/me"), 401, "unauthenticated")


def test_refresh_grant_issues_a_working_access_token(mock: TestClient) -> None:
    body = "grant_type=refresh_token&refresh_token=refresh-alice&client_id=cli_native"
    response = mock.post("/oauth/token", content=body, headers=FORM)
    assert response.status_code == 200
    token = TokenResponse.model_validate(response.json())
    me = mock.get("/api/v1/me", headers={"Authorization": f"Bearer {token.access_token}"})
    assert me.json()["email"] == "alice@acme.example"


def test_unknown_refresh_token_is_invalid_grant(mock: TestClient) -> None:
    response = mock.post(
        "/oauth/token", content="grant_type=refresh_token&refresh_token=nope", headers=FORM
    )
    body = assert_envelope(response, 400, "refresh_token_invalid")
    assert body["error"] == "invalid_grant"


def test_other_grant_types_are_refused(mock: TestClient) -> None:
    response = mock.post("/oauth/token", content="grant_type=password&username=a", headers=FORM)
    assert_envelope(response, 422, "validation_failed")
