"""The client and the service layer against the real in-process mock, which decides: tickets it
cannot confirm are refused, `meta.json` gets the tracker's values, nothing is left half-bound."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from kitty_contracts import OriginCandidate, Provider, StatusCategory
from kitty_origin import (
    ConfigurationError,
    EventOutbox,
    InternalServerError,
    InvalidRequestError,
    MissionMetaError,
    OriginAlreadyBoundError,
    ProviderRejectedError,
    SaaSTrackerClient,
    StaticTokenProvider,
    TicketNotFoundError,
    TicketOutOfScopeError,
    UnsupportedProviderError,
    UserLinkRequiredError,
    bind_origin,
    get_mission_origin,
    read_meta,
    refresh_mission_origin,
    search_origin_candidates,
    set_origin_ticket,
    start_mission_from_ticket,
    unbind_mission_origin,
)
from kitty_origin.missions import create_mission_from_candidate
from kitty_origin.origin import OUTBOX_RELATIVE_PATH

from tests.client.fakes import (
    JIRA_CONFIG,
    LINEAR_CONFIG,
    FakeSaaS,
    envelope,
    make_client,
    write_config,
)

# A mission created without the SaaS (the tests bind it themselves).
SPEC_DRAFT = "# A mission\n"

BIND = "/api/v1/tracker/mission-origin/bind/"
WEB_TEAM = "8f6b2c1e-4a5d-4e2b-9c3f-1a2b3c4d5e6f"


@pytest.fixture
def saas() -> FakeSaaS:
    return FakeSaaS()


@pytest.fixture
def client(saas: FakeSaaS) -> SaaSTrackerClient:
    return make_client(saas)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write_config(tmp_path, LINEAR_CONFIG)
    return tmp_path


def found(repo: Path, client: SaaSTrackerClient, text: str = "Clerk auth") -> list[OriginCandidate]:
    return list(search_origin_candidates(repo, query_text=text, client=client).candidates)


def missions(repo: Path) -> list[Path]:
    folder = repo / "kitty-specs"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def fabricated(**changes: Any) -> OriginCandidate:
    base = {
        "external_issue_id": "does-not-exist",
        "external_issue_key": "WEB-999",
        "title": "A ticket nobody wrote",
        "status": "Todo",
        "url": "https://evil.example/x",
        "match_type": "exact",
    }
    return OriginCandidate.model_validate({**base, **changes})


def queued_events(repo: Path) -> int:
    """Every event the repo's outbox ever took (delivered or not)."""
    with EventOutbox(repo / OUTBOX_RELATIVE_PATH) as outbox:
        return sum(outbox.counts().values())


# -- the SaaS decides, the client follows ------------------------------------------------------


def test_bob_cannot_bind_a_jira_ticket_through_the_service_layer(
    tmp_path: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    write_config(tmp_path, JIRA_CONFIG)
    [iam_42] = search_origin_candidates(tmp_path, query_key="IAM-42", client=client).candidates
    bob = make_client(saas, token_provider=StaticTokenProvider("tok-bob"))
    with pytest.raises(UserLinkRequiredError):
        start_mission_from_ticket(tmp_path, iam_42, "jira", "jira_project", "10042", client=bob)
    assert missions(tmp_path) == []
    assert saas.origin_links() == []


def test_a_fabricated_ticket_leaves_no_mission_and_no_link(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    with pytest.raises(TicketNotFoundError):
        start_mission_from_ticket(
            repo, fabricated(), "linear", "linear_team", WEB_TEAM, client=client
        )
    assert missions(repo) == []
    assert saas.origin_links() == []


def test_a_ticket_of_another_team_is_refused(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    api_7 = fabricated(
        external_issue_id="1a85fd34-646c-594c-b363-533e397abe54", external_issue_key="API-7"
    )
    with pytest.raises(TicketOutOfScopeError):
        start_mission_from_ticket(repo, api_7, "linear", "linear_team", WEB_TEAM, client=client)
    assert (missions(repo), saas.origin_links()) == ([], [])


def test_meta_json_gets_the_trackers_values_not_the_candidates(
    repo: Path, client: SaaSTrackerClient
) -> None:
    real = found(repo, client)[0]
    claimed = real.model_copy(update={"title": "Claimed title", "url": "https://evil.example/x"})
    started = start_mission_from_ticket(
        repo, claimed, "linear", "linear_team", WEB_TEAM, client=client
    )
    ticket = read_meta(started.feature_dir).origin_ticket
    assert (ticket.title, ticket.external_issue_url) == (real.title, real.url)  # type: ignore[union-attr]
    assert started.origin_ticket.title == real.title


# -- the provider policy: the client, the service layer and the SaaS agree ----------------------


def test_github_needs_the_opt_in_in_the_client_too(saas: FakeSaaS) -> None:
    client = make_client(saas)  # allow_github defaults to off
    with pytest.raises(UnsupportedProviderError):
        client.search_issues("github", "acme-web", query_text="SSO")
    with pytest.raises(UnsupportedProviderError):
        client.bind_mission_origin(
            "github", "acme-web", feature_slug="001-sso", mission_id="01JD8X4ZQK5M7N9P2R3S4T5V6W",
            external_issue_id="3000000010", external_issue_key="acme/web#10",
            external_issue_url="https://github.com/acme/web/issues/10", title="Document the SSO setup",
        )  # fmt: skip
    assert saas.requests == []


def test_github_with_the_opt_in_still_needs_the_teams_policy(
    saas: FakeSaaS, tmp_path: Path
) -> None:
    acme = make_client(saas, allow_github=True)
    assert acme.search_issues("github", "acme-web", query_key="#10").candidates
    carol = make_client(
        saas, team="globex", token_provider=StaticTokenProvider("tok-carol"), allow_github=True
    )
    write_config(tmp_path, "tracker: {provider: github, project_slug: globex-web}\n")
    with pytest.raises(ProviderRejectedError) as caught:
        search_origin_candidates(tmp_path, query_text="SSO", client=carol)
    assert caught.value.error_code == "unsupported_provider"
    assert isinstance(caught.value, UnsupportedProviderError)


# -- every input is checked before the authoritative write --------------------------------------


@pytest.mark.parametrize(
    ("resource_type", "resource_id", "mission_key"),
    [
        ("jira_project", WEB_TEAM, "software-dev"),  # another tracker's container kind
        ("linear_project", WEB_TEAM, "software-dev"),  # no such resource type
        ("linear_team", "x" * 300, "software-dev"),
        ("linear_team", WEB_TEAM, ""),
        ("linear_team", WEB_TEAM, "no-such-mission-type!!"),  # not a MissionType
    ],
)
def test_bad_arguments_are_refused_before_anything_is_made(
    repo: Path,
    saas: FakeSaaS,
    client: SaaSTrackerClient,
    resource_type: str,
    resource_id: str,
    mission_key: str,
) -> None:
    chosen = found(repo, client)[0]
    with pytest.raises(InvalidRequestError):
        start_mission_from_ticket(
            repo, chosen, "linear", resource_type, resource_id, mission_key, client=client
        )
    assert BIND not in saas.paths()
    assert missions(repo) == []


def test_a_malformed_candidate_is_refused_before_anything_is_made(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    broken = {"external_issue_id": "x", "external_issue_key": "WEB-1", "title": "no url"}
    with pytest.raises(InvalidRequestError):
        start_mission_from_ticket(repo, broken, "linear", "linear_team", WEB_TEAM, client=client)
    assert (BIND not in saas.paths(), missions(repo)) == (True, [])


# -- no orphans, no duplicates ------------------------------------------------------------------


def _break_meta_after_the_bind(saas: FakeSaaS, repo: Path, *, then_down: bool) -> None:
    """The SaaS answers the bind, then the local write fails (meta.json is moved away)."""

    def bind_then_break(request: httpx.Request) -> httpx.Response:
        answer = saas.forward(request)
        if request.url.path != BIND:  # the spec draft before the bind goes through untouched
            saas.script.insert(0, bind_then_break)
            return answer
        for meta in (repo / "kitty-specs").glob("*/meta.json"):
            meta.rename(meta.with_name("meta.json.away"))
        saas.down = then_down
        return answer

    saas.script = [bind_then_break]


def test_a_failure_after_the_saas_bind_leaves_no_orphan_link(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    chosen = found(repo, client)[0]
    _break_meta_after_the_bind(saas, repo, then_down=False)
    with pytest.raises(MissionMetaError):
        start_mission_from_ticket(repo, chosen, "linear", "linear_team", WEB_TEAM, client=client)
    assert missions(repo) == []
    assert saas.origin_links() == [], "the link the failed start made was unbound"
    retried = start_mission_from_ticket(
        repo, chosen, "linear", "linear_team", WEB_TEAM, client=client
    )
    assert [link["mission_id"] for link in saas.origin_links()] == [retried.mission_id]


def test_when_the_link_cannot_be_removed_the_mission_is_kept_and_a_retry_heals(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    chosen = found(repo, client)[0]
    _break_meta_after_the_bind(saas, repo, then_down=True)
    with pytest.raises(MissionMetaError) as caught:
        start_mission_from_ticket(repo, chosen, "linear", "linear_team", WEB_TEAM, client=client)
    [kept] = missions(repo)
    assert any(str(kept) in note for note in caught.value.__notes__)
    (kept / "meta.json.away").rename(kept / "meta.json")
    saas.down = False
    [link] = saas.origin_links()
    healed = bind_origin(kept, chosen, "linear", "linear_team", WEB_TEAM, client=client)
    assert healed.origin_link.origin_link_id == link["origin_link_id"]
    assert healed.origin_link.outcome.value == "existing"
    assert healed.event_emitted is True, "the origin is new to meta.json: its event is queued"


def test_a_lost_bind_answer_is_unbound_before_the_mission_is_removed(
    repo: Path, saas: FakeSaaS
) -> None:
    client = make_client(saas, max_retries=0)
    chosen = found(repo, client)[0]

    def recorded_then_lost(request: httpx.Request) -> httpx.Response:
        saas.forward(request)  # the SaaS stored the link, but its answer never arrives intact
        return httpx.Response(500, json=envelope("internal_error", effect_certainty="unknown"))

    saas.script = [recorded_then_lost]
    with pytest.raises(InternalServerError):
        start_mission_from_ticket(repo, chosen, "linear", "linear_team", WEB_TEAM, client=client)
    assert (missions(repo), saas.origin_links()) == ([], [])


def test_a_resource_the_saas_did_not_bind_in_is_a_mismatch_and_leaves_no_link(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    chosen = found(repo, client)[0]
    with pytest.raises(ConfigurationError) as caught:
        start_mission_from_ticket(
            repo, chosen, "linear", "linear_team", "another-team", client=client
        )
    assert caught.value.error_code == "resource_mismatch"
    assert (missions(repo), saas.origin_links()) == ([], [])


def test_three_rebinds_of_the_same_origin_queue_one_event(
    repo: Path, client: SaaSTrackerClient
) -> None:
    chosen = found(repo, client)[0]
    feature_dir = create_mission_from_candidate(repo, chosen, spec_markdown=SPEC_DRAFT).feature_dir
    results = [
        bind_origin(feature_dir, chosen, "linear", "linear_team", WEB_TEAM, client=client)
        for _ in range(3)
    ]
    assert [r.origin_link.outcome.value for r in results] == ["created", "existing", "existing"]
    assert [r.event_emitted for r in results] == [True, False, False]
    assert queued_events(repo) == 1


# -- unbind and read ----------------------------------------------------------------------------


def test_unbind_then_bind_another_ticket_and_meta_json_follows(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    first, other = found(repo, client)[:2]
    started = start_mission_from_ticket(
        repo, first, "linear", "linear_team", WEB_TEAM, client=client
    )
    with pytest.raises(OriginAlreadyBoundError):
        bind_origin(started.feature_dir, other, "linear", client=client)
    link = get_mission_origin(started.feature_dir, client=client)
    assert link is not None
    assert link.external_issue_key == first.external_issue_key

    unbound = unbind_mission_origin(started.feature_dir, client=client)
    assert unbound.outcome.value == "removed"
    assert unbound.removed_link is not None
    assert unbound.removed_link.origin_link_id == started.origin_link_id
    assert unbound.removed_origin_ticket == started.origin_ticket.model
    assert "origin_ticket" not in json.loads((started.feature_dir / "meta.json").read_text())
    assert get_mission_origin(started.feature_dir, client=client) is None
    again = unbind_mission_origin(started.feature_dir, client=client)
    assert (again.outcome.value, again.removed_link, again.removed_origin_ticket) == (
        "not_bound",
        None,
        None,
    )

    rebound = bind_origin(started.feature_dir, other, "linear", client=client)
    assert rebound.origin_link.outcome.value == "created"
    assert read_meta(started.feature_dir).origin_ticket == rebound.origin_ticket
    assert rebound.origin_ticket.external_issue_key == other.external_issue_key
    by_ticket = client.list_ticket_missions("linear", other.external_issue_id)
    assert [m.mission_id for m in by_ticket.links] == [started.mission_id]
    assert client.list_ticket_missions("linear", first.external_issue_id).links == []


def test_a_failed_saas_unbind_changes_nothing_locally(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    started = start_mission_from_ticket(
        repo, found(repo, client)[0], "linear", "linear_team", WEB_TEAM, client=client
    )
    before = (started.feature_dir / "meta.json").read_bytes()
    saas.down = True
    with pytest.raises(Exception, match="reach"):
        unbind_mission_origin(started.feature_dir, client=client)
    assert (started.feature_dir / "meta.json").read_bytes() == before


# -- refresh ------------------------------------------------------------------------------------


def test_refresh_brings_meta_json_back_to_the_tracker(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    started = start_mission_from_ticket(
        repo, found(repo, client)[0], "linear", "linear_team", WEB_TEAM, client=client
    )
    # A mission bound before the SaaS decided kept the client's claim in meta.json.
    stale = started.origin_ticket.model_copy(update={"title": "What the client once claimed"})
    set_origin_ticket(started.feature_dir, stale)
    world = saas.mock.app.state.runtime.trackers.world  # type: ignore[attr-defined]
    world.update_status(
        Provider.linear,
        started.origin_ticket.external_issue_key,
        status_name="Done",
        status_category=StatusCategory.done,
        state_reason=None,
        updated_at=datetime.now(UTC),
    )
    refreshed = refresh_mission_origin(started.feature_dir, client=client)
    assert refreshed.changed == ["external_status", "external_status_category"]
    assert refreshed.meta_updated is True
    assert read_meta(started.feature_dir).origin_ticket == started.origin_ticket.model
    assert refreshed.origin_link.external_status == "Done"
    again = refresh_mission_origin(started.feature_dir, client=client)
    assert (again.changed, again.meta_updated) == ([], False)
