"""Dashboard visibility: off the loopback interface, a team's data only with a token for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings

from tests.mock_saas.conftest import ADMIN, ALICE, BIND, bind_body

CAROL = {"Authorization": "Bearer tok-carol"}
REMOTE = ("10.20.30.40", 50000)
ACME_EMAILS = ("alice@acme.example", "bob@acme.example")


def remote_mock(**settings: object) -> TestClient:
    return TestClient(create_app(MockSettings(**settings)), client=REMOTE)  # type: ignore[arg-type]


@pytest.fixture
def remote() -> Iterator[TestClient]:
    """The mock as a caller on another host sees it; alice (acme) has bound a ticket."""
    with remote_mock() as client:
        assert client.post(BIND, json=bind_body(), headers=ALICE).status_code == 200
        client.get("/api/v1/me", headers=ALICE)
        yield client


@pytest.mark.parametrize("path", ["/", "/dashboard/fragments", "/dashboard/fragments/directory"])
def test_an_anonymous_remote_caller_sees_no_team_data(remote: TestClient, path: str) -> None:
    answer = remote.get(path)
    assert answer.status_code == 403
    assert not any(email in answer.text for email in ACME_EMAILS)


def test_a_user_token_shows_that_users_teams_only(remote: TestClient) -> None:
    page = remote.get("/", headers=CAROL)
    assert page.status_code == 200
    assert "carol@globex.example" in page.text
    assert not any(email in page.text for email in ACME_EMAILS)
    assert "WEB-123" not in remote.get("/dashboard/fragments/origin-links", headers=CAROL).text
    assert "acme-web" not in remote.get("/dashboard/fragments/mappings", headers=CAROL).text


def test_a_member_of_the_team_sees_its_links(remote: TestClient) -> None:
    bob = {"Authorization": "Bearer tok-bob"}
    assert "WEB-123" in remote.get("/dashboard/fragments/origin-links", headers=bob).text
    assert "carol@globex.example" not in remote.get("/", headers=bob).text


def test_the_admin_token_shows_everything(remote: TestClient) -> None:
    page = remote.get("/", headers=ADMIN).text
    assert all(email in page for email in (*ACME_EMAILS, "carol@globex.example"))


def test_a_wrong_token_is_anonymous(remote: TestClient) -> None:
    assert remote.get("/", headers={"Authorization": "Bearer tok-nobody"}).status_code == 403


def test_loopback_and_the_public_switch_show_everything() -> None:
    with TestClient(create_app(MockSettings()), client=("127.0.0.1", 50000)) as local:
        assert "alice@acme.example" in local.get("/").text
    with remote_mock(dashboard_public=True) as public:
        assert "alice@acme.example" in public.get("/").text


def test_the_api_reference_stays_open(remote: TestClient) -> None:
    assert remote.get("/docs").status_code == 200
