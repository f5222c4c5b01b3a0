"""Auth, team membership and the one error envelope for every failure."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from kitty_contracts.validation import validator
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings

from tests.mock_saas.conftest import ADMIN, ALICE, BIND, SEARCH, bind_body

pytestmark = pytest.mark.both_backends

TEXT_SEARCH = {"provider": "linear", "project_slug": "acme-web", "query_text": "Clerk auth"}


def assert_envelope(response: object, status: int, code: str) -> dict[str, object]:
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == status, response.text
    body = response.json()
    assert list(validator("ErrorEnvelope").iter_errors(body)) == []
    assert body["error_code"] == code
    # Both generations of the envelope: `code`/`category` (SaaS, spec-kitty 4.x) and 3.2.x's names.
    assert (body["code"], body["category"]) == (code, body["error_category"])
    return dict(body)


def test_missing_token_is_401(mock: TestClient) -> None:
    response = mock.post(SEARCH, json=TEXT_SEARCH, headers={"X-Team-Slug": "acme"})
    body = assert_envelope(response, 401, "unauthenticated")
    assert "spec-kitty auth login" in str(body["message"])
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_unknown_token_is_401(mock: TestClient) -> None:
    headers = {"Authorization": "Bearer nope", "X-Team-Slug": "acme"}
    assert_envelope(mock.post(SEARCH, json=TEXT_SEARCH, headers=headers), 401, "unauthenticated")


def test_team_the_user_is_not_a_member_of_is_403(mock: TestClient) -> None:
    headers = {**ALICE, "X-Team-Slug": "globex"}
    assert_envelope(mock.post(SEARCH, json=TEXT_SEARCH, headers=headers), 403, "forbidden")


def test_team_may_be_named_by_id_as_upstream_sends_it(mock: TestClient) -> None:
    headers = {**ALICE, "X-Team-Slug": "team_acme"}
    assert mock.post(BIND, json=bind_body(), headers=headers).status_code == 200


def test_missing_team_header_is_422_naming_it(mock: TestClient) -> None:
    headers = {"Authorization": "Bearer tok-alice"}
    body = assert_envelope(
        mock.post(BIND, json=bind_body(), headers=headers), 422, "validation_failed"
    )
    assert body["details"] == [{"field": "header.X-Team-Slug", "issue": "required"}]


def test_malformed_json_is_400_envelope(mock: TestClient) -> None:
    response = mock.post(
        BIND, content=b"{not json", headers={**ALICE, "Content-Type": "application/json"}
    )
    assert_envelope(response, 400, "malformed_request")


def test_contract_violation_is_422_naming_the_field(mock: TestClient) -> None:
    body = assert_envelope(
        mock.post(BIND, json=bind_body(external_issue_url="not a url"), headers=ALICE),
        422,
        "validation_failed",
    )
    assert any(d["field"] == "body.external_issue_url" for d in body["details"])  # type: ignore[attr-defined]


def test_errors_echo_the_idempotency_key_and_say_no_effect(mock: TestClient) -> None:
    headers = {**ALICE, "Idempotency-Key": "bind-key-0001"}
    body = assert_envelope(
        mock.post(BIND, json=bind_body(mission_id="x"), headers=headers), 422, "validation_failed"
    )
    assert body["idempotency_key"] == "bind-key-0001"
    assert body["effect_certainty"] == "no_effect"


def test_wrong_method_is_405_envelope(mock: TestClient) -> None:
    response = mock.get(SEARCH, headers=ALICE)
    assert response.status_code == 405
    assert response.json()["error_code"] == "method_not_allowed"
    assert "POST" in response.headers["allow"]


def test_wrong_admin_tokens_are_limited_per_address_even_the_right_one_waits() -> None:
    clock = [0.0]
    settings = MockSettings(admin_auth_failures_burst=3, admin_auth_failures_per_second=0.5)
    app = create_app(settings, clock=lambda: clock[0])
    guesser = TestClient(app, client=("10.0.0.9", 40000))
    other = TestClient(app, client=("10.0.0.7", 40000))
    wrong = [
        guesser.get("/__admin/faults", headers={"X-Admin-Token": f"guess-{n}"}) for n in range(3)
    ]
    assert [r.status_code for r in wrong] == [401, 401, 401]
    assert "retry-after" not in wrong[-1].headers
    # The bucket is empty: not even the right token is compared, so guessing runs no faster.
    locked = guesser.get("/__admin/faults", headers=ADMIN)
    assert locked.status_code == 401
    assert locked.headers["retry-after"] == "2"
    assert locked.json()["error_code"] == "unauthenticated"
    assert "Too many wrong admin tokens" in locked.json()["message"]
    # Another address, a missing token, and a new sandbox are not affected / no way around it.
    assert other.get("/__admin/faults", headers=ADMIN).status_code == 200
    assert guesser.get("/__admin/faults").status_code == 401
    sandboxed = {**ADMIN, "X-Kitty-Sandbox": "fresh"}
    assert guesser.get("/__admin/faults", headers=sandboxed).status_code == 401
    assert "Too many" in guesser.get("/__admin/faults", headers=sandboxed).json()["message"]
    clock[0] += 2.0  # one wrong token's worth refilled
    assert guesser.get("/__admin/faults", headers=ADMIN).status_code == 200


def test_the_dashboard_counts_wrong_admin_tokens_but_not_user_tokens() -> None:
    settings = MockSettings(admin_auth_failures_burst=2, admin_auth_failures_per_second=0.001)
    app = create_app(settings, clock=lambda: 0.0)
    remote = TestClient(app, client=("10.0.0.9", 40000))
    for _ in range(5):  # a user's own token is no guess
        assert remote.get("/", headers={"Authorization": "Bearer tok-carol"}).status_code == 200
    assert remote.get("/", headers=ADMIN).status_code == 200
    for n in range(2):
        assert remote.get("/", headers={"X-Admin-Token": f"guess-{n}"}).status_code == 403
    refused = remote.get("/", headers=ADMIN)
    assert refused.status_code == 403
    assert "Too many wrong admin tokens" in refused.text


def test_the_admin_token_limit_reaches_worker_processes() -> None:
    settings = MockSettings(admin_auth_failures_burst=7, admin_auth_failures_per_second=0.5)
    rebuilt = MockSettings.from_env(settings.to_env())
    assert (rebuilt.admin_auth_failures_burst, rebuilt.admin_auth_failures_per_second) == (7, 0.5)
