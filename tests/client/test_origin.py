"""The service layer (spec 061): search, bind, start a mission from a ticket, events."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pytest
from kitty_contracts import OriginCandidate
from kitty_origin import (
    ConfigurationError,
    EventOutbox,
    InvalidRequestError,
    MissionCreationError,
    MissionFromTicketResult,
    MissionMetaError,
    NoTrackerBindingError,
    OriginAlreadyBoundError,
    OutboxError,
    SaaSTrackerClient,
    SaaSUnavailableError,
    SearchOriginResult,
    TicketNotFoundError,
    UnsupportedProviderError,
    UserLinkRequiredError,
    bind_mission_origin,
    bind_origin,
    flush_events,
    flush_outbox,
    read_meta,
    search_origin_candidates,
    start_mission_from_ticket,
    write_meta,
)
from kitty_origin.missions import create_mission_from_candidate
from kitty_origin.origin import OUTBOX_RELATIVE_PATH

from tests.client.fakes import (
    JIRA_CONFIG,
    LINEAR_CONFIG,
    FakeClock,
    FakeSaaS,
    envelope,
    make_client,
    settings,
    write_config,
)
from tests.client.test_meta_store import META

# A mission created without the SaaS (the tests bind it themselves).
SPEC_DRAFT = "# A mission\n"

BIND = "/api/v1/tracker/mission-origin/bind/"
SPEC_DRAFT_PATH = "/api/v1/tracker/spec-draft/"
EVENTS = "/api/v1/events/batch/"
# The Linear team the seeded mock maps to acme-web.
WEB_TEAM = "8f6b2c1e-4a5d-4e2b-9c3f-1a2b3c4d5e6f"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write_config(tmp_path, LINEAR_CONFIG)
    return tmp_path


@pytest.fixture
def saas() -> FakeSaaS:
    return FakeSaaS()


@pytest.fixture
def client(saas: FakeSaaS) -> SaaSTrackerClient:
    return make_client(saas)


def candidates(repo: Path, client: SaaSTrackerClient, **query: str) -> list[OriginCandidate]:
    return search_origin_candidates(repo, client=client, **query).candidates  # type: ignore[arg-type]


# -- search ------------------------------------------------------------------------------------


def test_free_text_search_returns_candidates_scenario_1_fr_001(
    repo: Path, client: SaaSTrackerClient
) -> None:
    found = search_origin_candidates(repo, query_text="Clerk auth", client=client)
    assert isinstance(found, SearchOriginResult)
    assert [c.external_issue_key for c in found.candidates] == ["WEB-123", "WEB-127"]
    assert found.provider.value == "linear"
    assert (found.resource_type.value, found.resource_id) == (
        "linear_team",
        "8f6b2c1e-4a5d-4e2b-9c3f-1a2b3c4d5e6f",
    )
    assert found.query_used == "Clerk auth"


def test_candidates_carry_every_spec_field_fr_003(repo: Path, client: SaaSTrackerClient) -> None:
    [first, _] = candidates(repo, client, query_text="Clerk auth")
    dumped = first.model_dump(mode="json")
    for name in ("external_issue_id", "external_issue_key", "title", "status", "url"):
        assert isinstance(dumped[name], str)
    assert dumped["match_type"] in {"exact", "text"}


def test_exact_key_search_scenario_2_fr_002(tmp_path: Path, client: SaaSTrackerClient) -> None:
    write_config(tmp_path, JIRA_CONFIG)
    found = search_origin_candidates(
        tmp_path, query_text="signing keys", query_key="IAM-42", client=client
    )
    assert found.query_used == "IAM-42"
    assert [(c.external_issue_key, c.match_type.value) for c in found.candidates] == [
        ("IAM-42", "exact")
    ]


def test_no_match_returns_an_empty_list_scenario_3(repo: Path, client: SaaSTrackerClient) -> None:
    found = search_origin_candidates(repo, query_text="quantum teleportation", client=client)
    assert found.candidates == []


def test_missing_user_link_is_a_hard_error_scenario_4(tmp_path: Path, saas: FakeSaaS) -> None:
    write_config(tmp_path, JIRA_CONFIG)
    bob = SaaSTrackerClient(settings(token_provider=_static("tok-bob")), transport=saas.transport())
    with pytest.raises(UserLinkRequiredError) as caught:
        search_origin_candidates(tmp_path, query_text="signing keys", client=bob)
    assert "Spec Kitty dashboard" in caught.value.message
    assert len(saas.requests) == 1, "no fallback search"


def test_no_tracker_bound_is_a_hard_error_scenario_6(tmp_path: Path, saas: FakeSaaS) -> None:
    with pytest.raises(NoTrackerBindingError, match=r"^No tracker bound\. Run spec-kitty"):
        search_origin_candidates(tmp_path, query_text="Clerk", client=make_client(saas))
    assert saas.requests == []


def test_search_is_scoped_to_the_bound_project_fr_009(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    search_origin_candidates(repo, query_text="Clerk", client=client)
    body = json.loads(saas.requests[0].content)
    assert (body["provider"], body["project_slug"]) == ("linear", "acme-web")


def test_search_needs_a_query(repo: Path, saas: FakeSaaS) -> None:
    with pytest.raises(InvalidRequestError):
        search_origin_candidates(repo, client=make_client(saas))
    assert saas.requests == []


def test_github_search_needs_the_opt_in_c_001(tmp_path: Path, saas: FakeSaaS) -> None:
    write_config(tmp_path, "tracker: {provider: github, project_slug: acme-web}\n")
    with pytest.raises(UnsupportedProviderError):
        search_origin_candidates(tmp_path, query_text="x", client=make_client(saas))
    assert saas.requests == []


def test_search_never_binds_even_with_one_candidate_fr_011(
    tmp_path: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    write_config(tmp_path, JIRA_CONFIG)
    found = search_origin_candidates(tmp_path, query_key="IAM-42", client=client)
    assert len(found.candidates) == 1
    assert BIND not in saas.paths()
    assert not (tmp_path / "kitty-specs").exists()
    assert not (tmp_path / OUTBOX_RELATIVE_PATH).exists()


# -- bind --------------------------------------------------------------------------------------


@pytest.fixture
def mission(repo: Path, client: SaaSTrackerClient) -> tuple[Path, OriginCandidate]:
    chosen = candidates(repo, client, query_text="Clerk auth")[0]
    return create_mission_from_candidate(repo, chosen, spec_markdown=SPEC_DRAFT).feature_dir, chosen


def test_bind_writes_saas_then_meta_then_event_fr_004_fr_012(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient, mission: tuple[Path, OriginCandidate]
) -> None:
    feature_dir, chosen = mission
    result = bind_origin(feature_dir, chosen, "linear", "linear_team", WEB_TEAM, client=client)
    assert saas.paths()[-2:] == [BIND, EVENTS]  # the queued event is delivered right after
    assert result.origin_link.outcome.value == "created"
    stored = json.loads((feature_dir / "meta.json").read_text(encoding="utf-8"))
    assert stored["origin_ticket"] == {
        "provider": "linear",
        "resource_type": "linear_team",
        "resource_id": WEB_TEAM,
        "external_issue_id": chosen.external_issue_id,
        "external_issue_key": "WEB-123",
        "external_issue_url": chosen.url,
        "title": "Add Clerk auth",
    }
    assert result.event_emitted is True
    assert result.event_delivered is True
    assert result.event_id is not None
    with EventOutbox(repo / OUTBOX_RELATIVE_PATH) as outbox:
        assert outbox.state_of(result.event_id) == "delivered"


def test_bind_mission_origin_returns_the_validated_meta_dict(
    client: SaaSTrackerClient, mission: tuple[Path, OriginCandidate]
) -> None:
    feature_dir, chosen = mission
    meta = bind_mission_origin(
        feature_dir, chosen, "linear", "linear_team", WEB_TEAM, client=client
    )
    assert isinstance(meta, dict)
    assert meta == json.loads((feature_dir / "meta.json").read_text(encoding="utf-8"))
    assert meta["origin_ticket"]["external_issue_key"] == "WEB-123"


def test_failed_saas_bind_writes_nothing_locally(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient, mission: tuple[Path, OriginCandidate]
) -> None:
    feature_dir, chosen = mission
    before = (feature_dir / "meta.json").read_bytes()
    saas.script = [httpx.Response(503, json=envelope("service_unavailable"))] * 3
    with pytest.raises(SaaSUnavailableError):
        bind_origin(feature_dir, chosen, "linear", "linear_team", WEB_TEAM, client=client)
    assert (feature_dir / "meta.json").read_bytes() == before
    assert not (repo / OUTBOX_RELATIVE_PATH).exists()


def test_same_origin_rebind_is_an_idempotent_success(
    client: SaaSTrackerClient, mission: tuple[Path, OriginCandidate]
) -> None:
    feature_dir, chosen = mission
    first = bind_origin(feature_dir, chosen, "linear", "linear_team", WEB_TEAM, client=client)
    again = bind_origin(feature_dir, chosen, "linear", "linear_team", WEB_TEAM, client=client)
    assert again.origin_link.origin_link_id == first.origin_link.origin_link_id
    assert again.origin_link.outcome.value == "existing"
    assert again.meta == first.meta


def test_different_origin_is_a_hard_error_fr_016(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient, mission: tuple[Path, OriginCandidate]
) -> None:
    feature_dir, chosen = mission
    bind_origin(feature_dir, chosen, "linear", "linear_team", WEB_TEAM, client=client)
    before = (feature_dir / "meta.json").read_bytes()
    other = candidates(repo, client, query_text="middleware")[0]
    binds = saas.paths().count(BIND)
    with pytest.raises(OriginAlreadyBoundError):
        bind_origin(feature_dir, other, "linear", "linear_team", WEB_TEAM, client=client)
    assert (feature_dir / "meta.json").read_bytes() == before
    assert saas.paths().count(BIND) == binds, "refused locally before any write"


def test_saas_conflict_leaves_meta_untouched(
    repo: Path, client: SaaSTrackerClient, mission: tuple[Path, OriginCandidate]
) -> None:
    feature_dir, chosen = mission
    meta = read_meta(feature_dir)
    other = candidates(repo, client, query_text="middleware")[0]
    client.bind_mission_origin(  # someone else bound the mission to another ticket
        "linear", "acme-web", feature_slug=meta.mission_slug, mission_id=meta.mission_id,
        external_issue_id=other.external_issue_id, external_issue_key=other.external_issue_key,
        external_issue_url=other.url, title=other.title,
    )  # fmt: skip
    before = (feature_dir / "meta.json").read_bytes()
    with pytest.raises(OriginAlreadyBoundError):
        bind_origin(feature_dir, chosen, "linear", "linear_team", WEB_TEAM, client=client)
    assert (feature_dir / "meta.json").read_bytes() == before


def test_crash_between_saas_and_local_write_self_heals_on_retry(
    saas: FakeSaaS, client: SaaSTrackerClient, mission: tuple[Path, OriginCandidate]
) -> None:
    feature_dir, chosen = mission
    meta = read_meta(feature_dir)
    link = client.bind_mission_origin(
        "linear", "acme-web", feature_slug=meta.mission_slug, mission_id=meta.mission_id,
        external_issue_id=chosen.external_issue_id, external_issue_key=chosen.external_issue_key,
        external_issue_url=chosen.url, title=chosen.title,
    )  # fmt: skip
    assert read_meta(feature_dir).origin_ticket.__class__.__name__ != "OriginTicket"
    healed = bind_origin(feature_dir, chosen, "linear", "linear_team", WEB_TEAM, client=client)
    assert healed.origin_link.origin_link_id == link.origin_link_id
    assert healed.meta.origin_ticket == healed.origin_ticket


def test_bind_refuses_a_provider_other_than_the_bound_one(
    client: SaaSTrackerClient, mission: tuple[Path, OriginCandidate]
) -> None:
    feature_dir, chosen = mission
    with pytest.raises(ConfigurationError, match="bound to linear"):
        bind_origin(feature_dir, chosen, "jira", "jira_project", "10042", client=client)


def test_event_not_queued_is_reported_not_hidden(
    tmp_path: Path, repo: Path, saas: FakeSaaS, mission: tuple[Path, OriginCandidate]
) -> None:
    feature_dir, chosen = mission
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a directory", encoding="utf-8")
    client = make_client(saas, outbox_path=blocked / "outbox.sqlite3")
    result = bind_origin(feature_dir, chosen, "linear", "linear_team", WEB_TEAM, client=client)
    assert result.event_emitted is False
    assert result.event_error
    assert read_meta(feature_dir).origin_ticket == result.origin_ticket


def test_many_missions_from_one_team_fr_014(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    first, second = candidates(repo, client, query_text="Clerk")
    a = start_mission_from_ticket(repo, first, "linear", "linear_team", WEB_TEAM, client=client)
    b = start_mission_from_ticket(repo, second, "linear", "linear_team", WEB_TEAM, client=client)
    assert a.origin_ticket.resource_id == b.origin_ticket.resource_id
    assert a.origin_link_id != b.origin_link_id
    assert {p for p in saas.paths() if "mapping" in p} == set(), "mappings never touched (C-008)"


# -- start_mission_from_ticket -----------------------------------------------------------------


def test_start_mission_from_ticket_creates_binds_and_emits_scenario_5_fr_006(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    chosen = candidates(repo, client, query_text="Clerk auth")[0]
    found = search_origin_candidates(repo, query_text="Clerk auth", client=client)
    result = start_mission_from_ticket(
        repo, chosen, found.provider, found.resource_type, found.resource_id, client=client
    )
    assert isinstance(result, MissionFromTicketResult)
    assert result.feature_slug == "001-web-123-add-clerk-auth"
    assert result.feature_dir == repo / "kitty-specs" / result.feature_slug
    assert result.event_emitted is True
    meta = read_meta(result.feature_dir)
    assert meta.origin_ticket == result.origin_ticket.model
    assert result.origin_ticket.resource_id == found.resource_id
    bind_body = json.loads([r for r in saas.requests if r.url.path == BIND][-1].content)
    assert bind_body["mission_slug"] == result.feature_slug
    assert bind_body["mission_id"] == meta.mission_id


def test_mission_meta_is_intelligible_offline_nfr_003(
    repo: Path, client: SaaSTrackerClient
) -> None:
    chosen = candidates(repo, client, query_text="Clerk auth")[0]
    result = start_mission_from_ticket(
        repo, chosen, "linear", "linear_team", WEB_TEAM, client=client
    )
    text = (result.feature_dir / "meta.json").read_text(encoding="utf-8")
    for needle in ("WEB-123", chosen.url, "Add Clerk auth", "linear_team", '"provider": "linear"'):
        assert needle in text
    assert text.startswith("{\n  ")


def test_failed_bind_leaves_no_half_made_mission(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    chosen = candidates(repo, client, query_text="Clerk auth")[0]
    # The spec draft goes through; the bind after the mission was created fails.
    saas.script = [saas.forward, httpx.Response(403, json=envelope("forbidden"))]
    with pytest.raises(Exception, match="failed"):
        start_mission_from_ticket(repo, chosen, "linear", "linear_team", WEB_TEAM, client=client)
    assert list((repo / "kitty-specs").iterdir()) == []
    assert saas.paths()[-2:] == [SPEC_DRAFT_PATH, BIND]


def test_spec_md_is_the_saas_draft_of_the_tracker_ticket_not_the_candidate(
    repo: Path, client: SaaSTrackerClient
) -> None:
    chosen = candidates(repo, client, query_text="Clerk auth")[0]
    # A stale or edited candidate: the spec shows what the tracker says, not the claim.
    claimed = chosen.model_copy(update={"title": "Something else", "body": "Made up body"})
    started = start_mission_from_ticket(
        repo, claimed, "linear", "linear_team", WEB_TEAM, client=client
    )
    spec = (started.feature_dir / "spec.md").read_text(encoding="utf-8")
    draft = client.draft_spec(
        "linear", "acme-web", external_issue_id=chosen.external_issue_id
    ).spec_markdown
    assert spec == draft
    assert spec.startswith("# Add Clerk auth\n")
    assert "Replace the home-grown session cookies" in spec
    assert "Made up" not in spec
    assert "Something else" not in spec


def test_a_ticket_the_saas_cannot_confirm_creates_no_mission(
    repo: Path, client: SaaSTrackerClient, saas: FakeSaaS
) -> None:
    chosen = candidates(repo, client, query_text="Clerk auth")[0]
    made_up = chosen.model_copy(update={"external_issue_id": "does-not-exist"})
    with pytest.raises(TicketNotFoundError):
        start_mission_from_ticket(repo, made_up, "linear", "linear_team", WEB_TEAM, client=client)
    assert not (repo / "kitty-specs").exists() or list((repo / "kitty-specs").iterdir()) == []
    assert BIND not in saas.paths()


def test_results_dump_to_json_for_agents_fr_013(repo: Path, client: SaaSTrackerClient) -> None:
    found = search_origin_candidates(repo, query_text="Clerk auth", client=client)
    started = start_mission_from_ticket(
        repo, found.candidates[0], "linear", "linear_team", WEB_TEAM, client=client
    )
    for result in (found, started):
        again = type(result).model_validate_json(result.model_dump_json())
        assert again == result
    assert json.loads(started.model_dump_json())["origin_ticket"]["external_issue_key"] == "WEB-123"


def test_event_is_queued_offline_and_flushed_later_nfr_004(repo: Path, saas: FakeSaaS) -> None:
    clock = FakeClock()
    client = make_client(saas, clock, deliver_after_bind_seconds=0.0)  # queue only
    chosen = candidates(repo, client, query_text="Clerk auth")[0]
    started = start_mission_from_ticket(
        repo, chosen, "linear", "linear_team", WEB_TEAM, client=client
    )
    saas.down = True
    offline = flush_events(repo, client=client)
    assert (offline.delivered, offline.pending) == (0, 1)
    saas.down = False
    with EventOutbox(repo / OUTBOX_RELATIVE_PATH, clock=lambda: 4e9) as outbox:
        from kitty_origin import flush_outbox

        online = flush_outbox(outbox, client)
    assert (online.delivered, online.pending) == (1, 0)
    assert started.event_id is not None
    delivered = saas.events[started.event_id]
    assert delivered["event_type"] == "MissionOriginBound"
    assert delivered["payload"]["mission_slug"] == started.feature_slug


def _static(token: str) -> object:
    from kitty_origin import StaticTokenProvider

    return StaticTokenProvider(token)


def test_a_failed_delivery_after_the_bind_never_fails_it_and_the_next_bind_retries_issue_10(
    repo: Path, saas: FakeSaaS
) -> None:
    events_down = True

    def handler(request: httpx.Request) -> httpx.Response:
        if events_down and request.url.path == EVENTS:
            return httpx.Response(503, json=envelope("service_unavailable"))
        return saas.handle(request)

    client = make_client(httpx.MockTransport(handler))
    first, second = candidates(repo, client, query_text="Clerk auth")[:2]
    one = start_mission_from_ticket(repo, first, "linear", "linear_team", WEB_TEAM, client=client)
    assert (one.event_emitted, one.event_delivered) == (True, False)
    events_down = False
    two = start_mission_from_ticket(repo, second, "linear", "linear_team", WEB_TEAM, client=client)
    assert two.event_delivered is True
    assert one.event_id is not None
    with EventOutbox(repo / OUTBOX_RELATIVE_PATH, clock=lambda: 4e9) as outbox:
        assert outbox.state_of(one.event_id) == "pending"  # kept, waiting out its backoff
        assert flush_outbox(outbox, client).delivered == 1
    assert one.event_id in saas.events


def test_the_default_outbox_inside_the_work_tree_is_git_ignored_issue_10(
    repo: Path, client: SaaSTrackerClient
) -> None:
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    chosen = candidates(repo, client, query_text="Clerk auth")[0]
    start_mission_from_ticket(repo, chosen, "linear", "linear_team", WEB_TEAM, client=client)
    flush_events(repo, client=client)
    assert (repo / OUTBOX_RELATIVE_PATH).exists()
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "outbox.sqlite3" not in status
    assert ".kittify/config.yaml" in status  # the rest of .kittify/ is still the user's


def test_local_file_system_failures_are_typed_errors_issue_10(
    repo: Path, saas: FakeSaaS, client: SaaSTrackerClient
) -> None:
    chosen = candidates(repo, client, query_text="Clerk auth")[0]
    (repo / "kitty-specs").write_text("a file where the missions folder should be")
    with pytest.raises(MissionCreationError):
        start_mission_from_ticket(repo, chosen, "linear", "linear_team", WEB_TEAM, client=client)
    assert BIND not in saas.paths()

    blocked = make_client(saas, outbox_path=repo / "kitty-specs" / "outbox.sqlite3")
    with pytest.raises(OutboxError):
        flush_events(repo, client=blocked)
    with pytest.raises(MissionMetaError, match="cannot be written"):
        write_meta(repo / "kitty-specs" / "001-x", META)


def test_every_public_path_argument_takes_a_str(repo: Path, client: SaaSTrackerClient) -> None:
    """A `str` repo root or mission directory works wherever a `Path` does (os.PathLike too)."""
    found = search_origin_candidates(str(repo), query_text="Clerk auth", client=client)
    started = start_mission_from_ticket(
        str(repo),
        found.candidates[0],
        found.provider,
        found.resource_type,
        found.resource_id,
        client=client,
    )
    feature_dir = str(started.feature_dir)
    assert read_meta(feature_dir).origin_ticket is not None
    assert bind_origin(feature_dir, found.candidates[0], found.provider, client=client)
    write_meta(feature_dir, read_meta(feature_dir))
    assert flush_events(str(repo), client=client).pending == 0
    with EventOutbox(str(repo / "elsewhere.sqlite3")) as outbox:
        assert isinstance(outbox.path, Path)
