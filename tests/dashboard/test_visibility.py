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


LOOPBACK = ("127.0.0.1", 50000)
# Tickets the trackers hide from alice's linked identities (restricted to carol's accounts).
HIDDEN_FROM_ALICE = {
    "WEB-130": "Security incident follow-up",
    "IAM-44": "Break-glass access procedure",
    "acme/web#11": "Security advisory draft: session fixation",
}


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example"])
@pytest.mark.parametrize("path", ["/", "/dashboard/fragments", "/dashboard/fragments/directory"])
def test_a_foreign_host_name_is_refused_even_on_loopback(host: str, path: str) -> None:
    """What DNS rebinding sends: a loopback peer, and the attacker's own host name."""
    with TestClient(create_app(MockSettings()), client=LOOPBACK) as local:
        answer = local.get(path, headers={"Host": host})
    assert answer.status_code == 403
    assert not any(email in answer.text for email in ACME_EMAILS)


@pytest.mark.parametrize("host", ["localhost:8765", "127.0.0.1:8765", "[::1]:8765", "testserver"])
def test_the_bound_address_and_localhost_are_answered(host: str) -> None:
    with TestClient(create_app(MockSettings()), client=LOOPBACK) as local:
        answer = local.get("/", headers={"Host": host})
    assert answer.status_code == 200
    assert "alice@acme.example" in answer.text


def test_more_host_names_can_be_allowed() -> None:
    app = create_app(MockSettings(dashboard_hosts=("mock.ci.internal",)))
    with TestClient(app, client=LOOPBACK) as local:
        assert local.get("/", headers={"Host": "mock.ci.internal:8765"}).status_code == 200
        assert local.get("/", headers={"Host": "other.internal"}).status_code == 403


def test_the_narrowed_view_shows_only_tickets_the_viewers_own_identity_reads(
    remote: TestClient,
) -> None:
    everything = remote.get("/dashboard/fragments/tickets", headers=ADMIN).text
    assert all(title in everything for title in HIDDEN_FROM_ALICE.values())  # shown to admins
    alices = remote.get("/dashboard/fragments/tickets", headers=ALICE).text
    assert "Add Clerk auth" in alices  # WEB-123, which alice's Linear identity reads
    assert [key for key, title in HIDDEN_FROM_ALICE.items() if title in alices] == []
    page = remote.get("/", headers=ALICE).text
    assert [key for key, title in HIDDEN_FROM_ALICE.items() if title in page] == []


def test_a_link_to_a_ticket_the_viewer_cannot_read_is_left_out(remote: TestClient) -> None:
    """bob (acme) has no Jira identity: alice's IAM link is team data he cannot read."""
    iam = {
        "provider": "jira", "project_slug": "acme-iam", "external_issue_key": "IAM-42",
        "mission_id": "01JD8X4ZQK5M7N9P2R3S4T5V6X", "mission_slug": "062-iam-42",
    }  # fmt: skip
    found = remote.post(
        "/api/v1/tracker/issue-search/",
        json={"provider": "jira", "project_slug": "acme-iam", "query_key": "IAM-42"},
        headers=ALICE,
    ).json()["candidates"][0]
    body = {**iam, "external_issue_id": found["external_issue_id"],
            "external_issue_url": found["url"],
            "external_title": found["title"], "external_status": found["status"]}  # fmt: skip
    assert remote.post(BIND, json=body, headers=ALICE).status_code == 200
    bob = {"Authorization": "Bearer tok-bob"}
    alices = remote.get("/dashboard/fragments/origin-links", headers=ALICE).text
    bobs = remote.get("/dashboard/fragments/origin-links", headers=bob).text
    assert "IAM-42" in alices
    assert "IAM-42" not in bobs
    assert "WEB-123" in bobs  # the Linear link he can read stays


def test_faults_and_journal_rows_of_other_teams_never_appear(remote: TestClient) -> None:
    fault = {"error": {"count": 5, "status": 503, "user": "alice@acme.example"}}
    assert remote.post("/__admin/faults", json=fault, headers=ADMIN).status_code == 201
    # bob acts for his private team only: not acme's business.
    remote.get("/api/v1/me", headers={"Authorization": "Bearer tok-bob"})
    remote.post(
        "/api/v1/tracker/issue-search/",
        json={"provider": "linear", "project_slug": "bob-web", "query_text": "x"},
        headers={"Authorization": "Bearer tok-bob", "X-Team-Slug": "bob-private"},
    )
    carols = remote.get("/dashboard/fragments/faults", headers=CAROL).text
    alices = remote.get("/dashboard/fragments/faults", headers=ALICE).text
    assert "alice@acme.example" in alices
    assert "alice@acme.example" not in carols
    alices_log = remote.get("/dashboard/fragments/requests", headers=ALICE).text
    bobs_log = remote.get(
        "/dashboard/fragments/requests", headers={"Authorization": "Bearer tok-bob"}
    ).text
    carols_log = remote.get("/dashboard/fragments/requests", headers=CAROL).text
    assert "bob@acme.example" in bobs_log
    assert "bob@acme.example" not in alices_log
    assert "alice@acme.example" in alices_log
    assert "acme.example" not in carols_log
