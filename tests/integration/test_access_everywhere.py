"""Authority on every operation, against a live mock (a sandbox per test): the team's policy, the
linked identity and the ticket's visibility hold on each origin operation, unbind included, and
the client's GitHub opt-in holds on each of its public calls."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from kitty_mock_saas.pytest_plugin import KittySaaS
from kitty_origin import (
    ClientSettings,
    EventOutbox,
    SaaSTrackerClient,
    StaticTokenProvider,
    TicketNotFoundError,
    UnsupportedProviderError,
    UserLinkRequiredError,
    bind_origin,
    read_meta,
    search_origin_candidates,
    start_mission_from_ticket,
    unbind_mission_origin,
)
from kitty_origin.origin import OUTBOX_RELATIVE_PATH

from tests.client.fakes import JIRA_CONFIG, LINEAR_CONFIG, write_config

MISSION = "01JD8X4ZQK5M7N9P2R3S4T5V6W"
OTHER_MISSION = "01JD8X4ZQK5M7N9P2R3S4T5V7X"
GH_3: dict[str, Any] = {
    "external_issue_id": "3000000003",
    "external_issue_key": "acme/web#3",
    "external_issue_url": "https://github.com/acme/web/issues/3",
    "title": "Login page flickers on Safari",
}
WEB_123_ID = "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d"


def make(kitty_saas: KittySaaS, token: str = "tok-alice", **settings: Any) -> SaaSTrackerClient:
    built = ClientSettings.from_env(
        env={},
        base_url=kitty_saas.url,
        team="acme",
        token_provider=StaticTokenProvider(token),
        **settings,
    )
    return SaaSTrackerClient(built, transport=kitty_saas.transport, sleep=lambda _: None)


def raw(kitty_saas: KittySaaS, token: str = "tok-alice") -> httpx.Client:
    """The mock's wire as a client without opt-in narrowing would speak it."""
    return httpx.Client(
        base_url=kitty_saas.url,
        transport=kitty_saas.transport,
        headers={"Authorization": f"Bearer {token}", "X-Team-Slug": "acme"},
    )


def origin_events(kitty_saas: KittySaaS, repo: Path, mission_id: str) -> list[str]:
    """The mission's origin events the SaaS received, oldest first (the outbox is drained)."""
    with EventOutbox(repo / OUTBOX_RELATIVE_PATH) as outbox:
        assert outbox.counts().get("pending", 0) == 0
    listed = kitty_saas.admin.events()["events"]
    return [
        item["event"]["event_type"]
        for item in reversed(listed)
        if item["event"]["aggregate_id"] == mission_id
    ]


def start(repo: Path, client: SaaSTrackerClient, key: str) -> Any:
    found = search_origin_candidates(repo, query_key=key, client=client)
    [candidate] = found.candidates
    return start_mission_from_ticket(
        repo,
        candidate,
        found.provider.value,
        found.resource_type.value,
        found.resource_id,
        client=client,
    )


# -- unbind is as authoritative as bind --------------------------------------------------------


def test_bob_cannot_unbind_alices_jira_origin_and_alices_unbind_tells_the_story(
    tmp_path: Path, kitty_saas: KittySaaS
) -> None:
    write_config(tmp_path, JIRA_CONFIG)
    alice, bob = make(kitty_saas), make(kitty_saas, "tok-bob")
    started = start(tmp_path, alice, "IAM-42")
    meta = started.feature_dir / "meta.json"
    before = meta.read_bytes()

    with pytest.raises(UserLinkRequiredError):
        bob.unbind_mission_origin(started.mission_id)
    with pytest.raises(UserLinkRequiredError):
        unbind_mission_origin(started.feature_dir, client=bob)
    assert meta.read_bytes() == before
    assert [link["mission_id"] for link in kitty_saas.admin.origin_links()] == [started.mission_id]

    unbound = unbind_mission_origin(started.feature_dir, client=alice)
    assert unbound.outcome.value == "removed"
    assert unbound.event_emitted is True
    assert "origin_ticket" not in read_meta(started.feature_dir).model_dump(exclude_unset=True)
    assert kitty_saas.admin.origin_links() == []

    again = bind_origin(
        started.feature_dir,
        search_origin_candidates(tmp_path, query_key="IAM-42", client=alice).candidates[0],
        "jira",
        client=alice,
    )
    assert again.event_emitted is True
    # One story per mission: bound, unbound, bound again.
    assert origin_events(kitty_saas, tmp_path, started.mission_id) == [
        "MissionOriginBound",
        "MissionOriginUnbound",
        "MissionOriginBound",
    ]


def test_a_member_who_cannot_see_the_ticket_cannot_unbind_it(
    tmp_path: Path, kitty_saas: KittySaaS
) -> None:
    write_config(tmp_path, LINEAR_CONFIG)
    alice, bob = make(kitty_saas), make(kitty_saas, "tok-bob")
    started = start(tmp_path, alice, "WEB-123")
    kitty_saas.tickets.update("linear", "WEB-123", restricted_to=["lin-alice"])
    with pytest.raises(TicketNotFoundError):
        bob.unbind_mission_origin(started.mission_id)
    assert len(kitty_saas.admin.origin_links()) == 1
    # Visible again: a member with a linked identity who sees the ticket may remove it.
    kitty_saas.tickets.update("linear", "WEB-123", restricted_to=None)
    assert bob.unbind_mission_origin(started.mission_id).outcome.value == "removed"


def test_the_binder_may_unbind_after_the_ticket_was_deleted(
    tmp_path: Path, kitty_saas: KittySaaS
) -> None:
    write_config(tmp_path, LINEAR_CONFIG)
    alice, bob = make(kitty_saas), make(kitty_saas, "tok-bob")
    started = start(tmp_path, alice, "WEB-123")
    kitty_saas.tickets.delete("linear", "WEB-123")
    with pytest.raises(TicketNotFoundError):
        bob.unbind_mission_origin(started.mission_id)
    assert unbind_mission_origin(started.feature_dir, client=alice).outcome.value == "removed"


# -- the team's policy on every operation ------------------------------------------------------


def _github_origin(kitty_saas: KittySaaS) -> None:
    """Alice (GitHub opted in) binds MISSION to acme/web#3, and starts an async bind."""
    alice = make(kitty_saas, allow_github=True)
    alice.bind_mission_origin(
        "github", "acme-web", feature_slug="061-gh-3", mission_id=MISSION, **GH_3
    )


def test_a_provider_dropped_from_the_policy_is_refused_by_every_origin_operation(
    kitty_saas: KittySaaS,
) -> None:
    _github_origin(kitty_saas)
    wire = raw(kitty_saas)
    pending = wire.post(
        "/api/v1/tracker/mission-origin/bind/",
        json={"provider": "github", "project_slug": "acme-web", "mission_id": OTHER_MISSION,
              "external_issue_id": GH_3["external_issue_id"],
              "external_issue_key": GH_3["external_issue_key"],
              "external_issue_url": GH_3["external_issue_url"], "external_title": GH_3["title"],
              "external_status": "Open", "mission_slug": "062-gh-3"},
        headers={"Prefer": "respond-async"},
    )  # fmt: skip
    assert pending.status_code == 202
    operation_id = pending.json()["operation_id"]
    assert kitty_saas.admin.set_origin_providers("acme", ["jira", "linear"]) == ["jira", "linear"]

    ticket = {"provider": "github", "project_slug": "acme-web", **GH_3}
    bind = {
        "provider": "github",
        "project_slug": "acme-web",
        "mission_id": OTHER_MISSION,
        "external_issue_id": GH_3["external_issue_id"],
        "external_issue_key": GH_3["external_issue_key"],
        "external_issue_url": GH_3["external_issue_url"],
        "external_title": GH_3["title"],
        "external_status": "Open",
        "mission_slug": "062-gh-3",
    }
    calls: dict[str, Callable[[], httpx.Response]] = {
        "searchIssues": lambda: wire.post(
            "/api/v1/tracker/issue-search/",
            json={"provider": "github", "project_slug": "acme-web", "query_text": "Safari"},
        ),
        "draftSpecFromIssue": lambda: wire.post(
            "/api/v1/tracker/spec-draft/",
            json={k: ticket[k] for k in ("provider", "project_slug", "external_issue_id")},
        ),
        "bindMissionOrigin": lambda: wire.post("/api/v1/tracker/mission-origin/bind/", json=bind),
        "unbindMissionOrigin": lambda: wire.post(
            "/api/v1/tracker/mission-origin/unbind/", json={"mission_id": MISSION}
        ),
        "refreshMissionOrigin": lambda: wire.post(
            "/api/v1/tracker/mission-origin/refresh/", json={"mission_id": MISSION}
        ),
        "syncMissionOriginStatus": lambda: wire.post(
            "/api/v1/tracker/mission-origin/status/", json={"mission_id": MISSION, "status": "done"}
        ),
        "getMissionOriginStatus": lambda: wire.get(
            "/api/v1/tracker/mission-origin/status/", params={"mission_id": MISSION}
        ),
        "getMissionOrigin": lambda: wire.get(f"/api/v1/tracker/missions/{MISSION}/origin/"),
        "listTicketMissions": lambda: wire.get(
            "/api/v1/tracker/mission-origin/by-ticket/",
            params={"provider": "github", "external_issue_id": GH_3["external_issue_id"]},
        ),
        "getOperation": lambda: wire.get(f"/api/v1/tracker/operations/{operation_id}/"),
    }
    for operation, call in calls.items():
        answer = call()
        assert (operation, answer.status_code, answer.json().get("error_code")) == (
            operation,
            422,
            "unsupported_provider",
        )
    [link] = kitty_saas.admin.origin_links()
    assert (link["mission_id"], link["external_status"]) == (MISSION, "Open")
    # Enabled again, the same link is served.
    kitty_saas.admin.set_origin_providers("acme", ["jira", "linear", "github"])
    assert calls["getMissionOrigin"]().status_code == 200


# -- the client's opt-in on every public call ------------------------------------------------


def _opt_in_calls(kitty_saas: KittySaaS) -> dict[str, Callable[[SaaSTrackerClient], object]]:
    """Each public call of the client, aimed at GitHub (by name, or through a GitHub link)."""
    wire = raw(kitty_saas)
    pending = wire.post(
        "/api/v1/tracker/mission-origin/bind/",
        json={"provider": "github", "project_slug": "acme-web", "mission_id": OTHER_MISSION,
              "external_issue_id": GH_3["external_issue_id"],
              "external_issue_key": GH_3["external_issue_key"],
              "external_issue_url": GH_3["external_issue_url"], "external_title": GH_3["title"],
              "external_status": "Open", "mission_slug": "062-gh-3"},
        headers={"Prefer": "respond-async"},
    )  # fmt: skip
    operation_id = pending.json()["operation_id"]
    event = {
        "event_id": "01JD8X4ZQK5M7N9P2R3S4T5V8Y",
        "event_type": "MissionOriginBound",
        "aggregate_id": MISSION,
        "aggregate_type": "Mission",
        "timestamp": "2026-04-01T09:30:00Z",
        "payload": {"mission_slug": "061-gh-3", "mission_id": MISSION, "provider": "github",
                    "external_issue_id": GH_3["external_issue_id"],
                    "external_issue_key": GH_3["external_issue_key"],
                    "external_issue_url": GH_3["external_issue_url"], "title": GH_3["title"]},
    }  # fmt: skip
    return {
        "search_issues": lambda c: c.search_issues("github", "acme-web", query_text="Safari"),
        "draft_spec": lambda c: c.draft_spec(
            "github", "acme-web", external_issue_id=GH_3["external_issue_id"]
        ),
        "bind_mission_origin": lambda c: c.bind_mission_origin(
            "github", "acme-web", feature_slug="062-gh-3", mission_id=OTHER_MISSION, **GH_3
        ),
        "get_operation": lambda c: c.get_operation(operation_id),
        "send_event_batch": lambda c: c.send_event_batch([event]),
        "unbind_mission_origin": lambda c: c.unbind_mission_origin(MISSION),
        "refresh_mission_origin": lambda c: c.refresh_mission_origin(MISSION),
        "get_mission_origin": lambda c: c.get_mission_origin(MISSION),
        "sync_mission_origin_status": lambda c: c.sync_mission_origin_status(MISSION, "done"),
        "get_mission_origin_status": lambda c: c.get_mission_origin_status(MISSION),
        "list_ticket_missions": lambda c: c.list_ticket_missions(
            "github", GH_3["external_issue_id"]
        ),
    }


def test_the_github_opt_in_holds_on_every_public_call_of_the_client(
    kitty_saas: KittySaaS,
) -> None:
    _github_origin(kitty_saas)
    calls = _opt_in_calls(kitty_saas)
    public = {
        name
        for name, member in inspect.getmembers(SaaSTrackerClient, inspect.isfunction)
        if not name.startswith("_")
    } - {"close"}
    assert set(calls) == public, "a public call of the client has no opt-in case here"
    without = make(kitty_saas)  # allow_github defaults to False
    for name, call in calls.items():
        with pytest.raises(UnsupportedProviderError) as caught:
            call(without)
        assert "github" in str(caught.value).lower(), name
    [link] = kitty_saas.admin.origin_links()
    assert (link["mission_id"], link["external_status"]) == (MISSION, "Open")
    assert kitty_saas.tickets.get("github", "acme/web#3")["status"] == "Open"
    # The same calls work once opted in (the refusal was the opt-in, not the call).
    assert make(kitty_saas, allow_github=True).get_mission_origin(MISSION).mission_id == MISSION


# -- no canned success, no sandbox for strangers -----------------------------------------------


def test_prefer_cannot_make_bobs_made_up_bind_a_success(kitty_saas: KittySaaS) -> None:
    made_up = {
        "provider": "jira",
        "project_slug": "acme-iam",
        "mission_id": MISSION,
        "external_issue_id": "99999",
        "external_issue_key": "IAM-999",
        "external_issue_url": "https://acme.atlassian.net/browse/IAM-999",
        "external_title": "Made up",
        "external_status": "Done",
        "mission_slug": "061-iam-999-made-up",
    }
    wire = raw(kitty_saas, "tok-bob")
    for prefer in ("example=bind_new", "example=rebind_same", "code=200", "example=bind_async"):
        answer = wire.post(
            "/api/v1/tracker/mission-origin/bind/", json=made_up, headers={"Prefer": prefer}
        )
        assert (prefer, answer.status_code, answer.json()["error_code"]) == (
            prefer,
            422,
            "validation_failed",
        )
    # Error answers can still be forced, so clients can rehearse them.
    forced = wire.post(
        "/api/v1/tracker/mission-origin/bind/", json=made_up, headers={"Prefer": "code=429"}
    )
    assert forced.status_code == 429
    assert kitty_saas.admin.origin_links() == []


def test_an_unauthenticated_request_creates_no_sandbox(kitty_saas: KittySaaS) -> None:
    server = kitty_saas.server
    name = f"stranger-{kitty_saas.sandbox[-8:]}"
    with httpx.Client(base_url=server.url, transport=server.transport) as anonymous:
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            answer = anonymous.post(
                "/api/v1/tracker/issue-search/",
                json={"provider": "linear", "project_slug": "acme-web", "query_text": "x"},
                headers={"X-Kitty-Sandbox": name, **headers},
            )
            assert answer.status_code == 401
    assert name not in {sandbox["name"] for sandbox in server.admin().sandboxes()}


# -- the spec's letter ------------------------------------------------------------------------


def test_a_refused_bind_leaves_a_legacy_meta_json_byte_identical(
    tmp_path: Path, kitty_saas: KittySaaS
) -> None:
    write_config(tmp_path, LINEAR_CONFIG)
    feature_dir = tmp_path / "kitty-specs" / "007-legacy"
    feature_dir.mkdir(parents=True)
    legacy = (
        b'{"created_at": "2026-01-01T00:00:00Z", "friendly_name": "Legacy", '
        b'"mission_slug": "007-legacy", "mission_type": "software-dev", "slug": "007-legacy", '
        b'"target_branch": "main"}'
    )
    (feature_dir / "meta.json").write_bytes(legacy)
    alice = make(kitty_saas)
    [web_123] = search_origin_candidates(tmp_path, query_key="WEB-123", client=alice).candidates
    kitty_saas.tickets.delete("linear", "WEB-123")
    with pytest.raises(TicketNotFoundError):
        bind_origin(feature_dir, web_123, "linear", client=alice)
    with pytest.raises(TicketNotFoundError):
        alice.bind_mission_origin(
            "linear",
            "acme-web",
            feature_slug="007-legacy",
            repo_root=tmp_path,
            external_issue_id=web_123.external_issue_id,
            external_issue_key="WEB-123",
            external_issue_url=web_123.url,
            title=web_123.title,
        )
    assert (feature_dir / "meta.json").read_bytes() == legacy


def test_a_started_mission_is_named_from_the_canonical_ticket(
    tmp_path: Path, kitty_saas: KittySaaS
) -> None:
    import json

    write_config(tmp_path, LINEAR_CONFIG)
    alice = make(kitty_saas)
    found = search_origin_candidates(tmp_path, query_key="WEB-123", client=alice)
    [stale] = found.candidates
    kitty_saas.tickets.update("linear", "WEB-123", title="Passkeys for sign-in")
    started = start_mission_from_ticket(
        tmp_path, stale, "linear", "linear_team", found.resource_id, client=alice
    )
    assert json.loads(json.dumps(started.origin_ticket))["title"] == "Passkeys for sign-in"
    assert started.origin_ticket["external_issue_key"] == "WEB-123"
    meta = read_meta(started.feature_dir)
    assert meta.friendly_name == "Passkeys for sign-in"
    assert started.feature_slug.endswith("web-123-passkeys-for-sign-in")
    assert "Passkeys for sign-in" in (started.feature_dir / "spec.md").read_text(encoding="utf-8")
