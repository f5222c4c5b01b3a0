"""A ticket changed in its tracker reaches the mission on refresh, through the admin API.

The admin API's ticket operations edit the embedded fakes' world the way a tracker's users would;
the real in-process mock (a sandbox per test, from the pytest plugin) then answers search, bind
and refresh with the ticket as it is now, and the service layer rewrites `meta.json` only when
the SaaS confirmed the change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from kitty_contracts import OriginTicket
from kitty_mock_saas.admin_client import AdminError
from kitty_mock_saas.pytest_plugin import KittySaaS
from kitty_origin import (
    ClientSettings,
    MissionFromTicketResult,
    SaaSTrackerClient,
    StaticTokenProvider,
    TicketNotFoundError,
    get_mission_origin,
    read_meta,
    refresh_mission_origin,
    search_origin_candidates,
    start_mission_from_ticket,
)

from tests.client.fakes import JIRA_CONFIG, LINEAR_CONFIG, write_config

NEW_TITLE = "Add Clerk auth with passkeys"


@pytest.fixture
def client(kitty_saas: KittySaaS) -> SaaSTrackerClient:
    settings = ClientSettings.from_env(
        env={},
        base_url=kitty_saas.url,
        team="acme",
        token_provider=StaticTokenProvider("tok-alice"),
        outbox_path=None,
    )
    return SaaSTrackerClient(settings, transport=kitty_saas.transport, sleep=lambda _: None)


def start(repo: Path, client: SaaSTrackerClient, key: str) -> MissionFromTicketResult:
    found = search_origin_candidates(repo, query_key=key, client=client)
    [candidate] = found.candidates
    resource_type = found.resource_type.value
    return start_mission_from_ticket(
        repo, candidate, found.provider.value, resource_type, found.resource_id, client=client
    )


def test_a_retitled_ticket_reaches_meta_json_and_the_saas_on_refresh(
    tmp_path: Path, kitty_saas: KittySaaS, client: SaaSTrackerClient
) -> None:
    write_config(tmp_path, LINEAR_CONFIG)
    started = start(tmp_path, client, "WEB-123")
    assert started.origin_ticket.title == "Add Clerk auth"

    edited = kitty_saas.tickets.update("linear", "WEB-123", title=NEW_TITLE)
    assert (edited["title"], edited["key"]) == (NEW_TITLE, "WEB-123")

    refreshed = refresh_mission_origin(started.feature_dir, client=client)
    assert "external_title" in refreshed.changed
    assert refreshed.meta_updated is True
    origin = read_meta(started.feature_dir).origin_ticket
    assert isinstance(origin, OriginTicket)
    assert origin.title == NEW_TITLE
    # Linear's URL carries the title's slug: the tracker's new URL, not the bound one.
    assert (
        origin.external_issue_url
        == "https://linear.app/acme/issue/WEB-123/add-clerk-auth-with-passkeys"
    )
    link = get_mission_origin(started.feature_dir, client=client)
    assert link is not None
    assert (link.external_title, link.external_issue_url) == (NEW_TITLE, origin.external_issue_url)


def test_a_deleted_ticket_is_a_typed_not_found_and_meta_json_stays(
    tmp_path: Path, kitty_saas: KittySaaS, client: SaaSTrackerClient
) -> None:
    write_config(tmp_path, JIRA_CONFIG)
    started = start(tmp_path, client, "IAM-42")
    meta = started.feature_dir / "meta.json"
    before = meta.read_bytes()

    assert kitty_saas.tickets.delete("jira", "IAM-42")["deleted"] is True
    with pytest.raises(TicketNotFoundError):
        refresh_mission_origin(started.feature_dir, client=client)
    assert meta.read_bytes() == before
    # The origin read takes the same access step: a ticket nobody can see is not read back.
    with pytest.raises(TicketNotFoundError):
        get_mission_origin(started.feature_dir, client=client)
    [link] = kitty_saas.admin.origin_links()
    assert link["external_title"] == "Rotate signing keys for SSO"


def test_a_status_change_is_seen_by_refresh_and_by_search(
    tmp_path: Path, kitty_saas: KittySaaS, client: SaaSTrackerClient
) -> None:
    write_config(tmp_path, JIRA_CONFIG)
    started = start(tmp_path, client, "IAM-42")
    kitty_saas.tickets.update("jira", "10342", status_category="canceled")
    refreshed = refresh_mission_origin(started.feature_dir, client=client)
    assert refreshed.changed == ["external_status", "external_status_category"]
    assert (
        refreshed.origin_link.external_status,
        refreshed.origin_link.external_status_category,
    ) == (
        "Won't Do",
        "canceled",
    )
    # Status is not in meta.json's origin_ticket: nothing to rewrite there.
    assert refreshed.meta_updated is False
    [hit] = client.search_issues("jira", "acme-iam", query_key="IAM-42")["candidates"]
    assert hit["status"] == "Won't Do"


def test_an_edit_is_the_sandboxs_own_and_reset_undoes_it(
    kitty_saas: KittySaaS, client: SaaSTrackerClient
) -> None:
    kitty_saas.tickets.update("linear", "WEB-127", title="Middleware cleanup", body=None)
    texts = client.search_issues("linear", "acme-web", query_text="Clerk")["candidates"]
    assert [c["external_issue_key"] for c in texts] == ["WEB-123"]
    # Another sandbox of the same mock still sees the seeded ticket.
    other = kitty_saas.server.admin(f"{kitty_saas.sandbox}-other")
    try:
        assert other.tickets.get("linear", "WEB-127")["title"] == "Clerk middleware cleanup"
    finally:
        other.delete_sandbox(f"{kitty_saas.sandbox}-other")
    kitty_saas.reset()
    assert kitty_saas.tickets.get("linear", "WEB-127")["title"] == "Clerk middleware cleanup"
    texts = client.search_issues("linear", "acme-web", query_text="Clerk")["candidates"]
    # Found again (the order may differ: the index's term statistics still count the old text).
    assert sorted(c["external_issue_key"] for c in texts) == ["WEB-123", "WEB-127"]


def test_an_edit_of_an_unknown_ticket_is_a_404(kitty_saas: KittySaaS) -> None:
    with pytest.raises(AdminError) as refused:
        kitty_saas.tickets.update("linear", "WEB-999", title="x")
    assert (refused.value.status, refused.value.body["error_code"]) == (404, "not_found")
