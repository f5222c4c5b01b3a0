"""Spec 061's Python surface, exactly: its signatures copied here, its calls run unchanged.

The stubs below are the spec's signatures, character for character. The implementation must
match each parameter's name, kind and default in order; anything it adds must be keyword-only
with a default, so a spec-literal call can never break. The spec-literal calls then run against
the mock as a real process, configured the way a developer would (environment, current directory).
"""

# The spec stubs have no bodies on purpose.
# mypy: disable-error-code="empty-body"

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from kitty_contracts import OriginCandidate, OriginTicket
from kitty_mock_saas.process import running_mock
from kitty_origin import (
    MissionFromTicketResult,
    MissionMetaError,
    SaaSTrackerClient,
    SearchOriginResult,
    bind_mission_origin,
    read_meta,
    search_origin_candidates,
    set_origin_ticket,
    start_mission_from_ticket,
)
from kitty_origin.feature_metadata import ensure_mission_id
from kitty_origin.ulid import is_ulid

from tests.client.fakes import LINEAR_CONFIG, write_config

# -- the spec's signatures, copied -------------------------------------------------------------


def spec_search_origin_candidates(
    repo_root: Path,
    query_text: str | None = None,
    query_key: str | None = None,
    limit: int = 10,
) -> SearchOriginResult: ...


def spec_bind_mission_origin(
    feature_dir: Path,
    candidate: OriginCandidate,
    provider: str,
    resource_type: str,
    resource_id: str,
) -> dict: ...  # type: ignore[type-arg]


def spec_start_mission_from_ticket(
    repo_root: Path,
    candidate: OriginCandidate,
    provider: str,
    resource_type: str,
    resource_id: str,
    mission_key: str = "software-dev",
) -> MissionFromTicketResult: ...


class SpecSaaSTrackerClient:
    def search_issues(
        self,
        provider: str,
        project_slug: str,
        *,
        query_text: str | None = None,
        query_key: str | None = None,
        limit: int = 10,
    ) -> dict[str, Any]: ...

    def bind_mission_origin(
        self,
        provider: str,
        project_slug: str,
        *,
        feature_slug: str,
        external_issue_id: str,
        external_issue_key: str,
        external_issue_url: str,
        title: str,
    ) -> dict[str, Any]: ...


PAIRS: list[tuple[Callable[..., Any], Callable[..., Any]]] = [
    (spec_search_origin_candidates, search_origin_candidates),
    (spec_bind_mission_origin, bind_mission_origin),
    (spec_start_mission_from_ticket, start_mission_from_ticket),
    (SpecSaaSTrackerClient.search_issues, SaaSTrackerClient.search_issues),
    (SpecSaaSTrackerClient.bind_mission_origin, SaaSTrackerClient.bind_mission_origin),
]


@pytest.mark.parametrize(("spec", "ours"), PAIRS, ids=[ours.__qualname__ for _, ours in PAIRS])
def test_signatures_match_the_spec_in_names_kinds_and_defaults(
    spec: Callable[..., Any], ours: Callable[..., Any]
) -> None:
    wanted = list(inspect.signature(spec).parameters.values())
    actual = list(inspect.signature(ours).parameters.values())
    assert [(p.name, p.kind, p.default) for p in actual[: len(wanted)]] == [
        (p.name, p.kind, p.default) for p in wanted
    ]
    for extra in actual[len(wanted) :]:
        assert extra.kind is inspect.Parameter.KEYWORD_ONLY, extra
        assert extra.default is not inspect.Parameter.empty, extra


# -- the spec-literal calls, against the mock as a process -------------------------------------


@pytest.fixture(scope="module")
def saas_url() -> Iterator[str]:
    with running_mock("--state", ":memory:") as mock:
        yield mock.url


@pytest.fixture
def repo(tmp_path: Path, saas_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    # What a developer has: a bound repo, a login, a team, and a shell inside the repo.
    write_config(tmp_path, LINEAR_CONFIG)
    monkeypatch.setenv("SPEC_KITTY_SAAS_URL", saas_url)
    monkeypatch.setenv("SPEC_KITTY_API_TOKEN", "tok-alice")
    monkeypatch.setenv("SPEC_KITTY_TEAM", "acme")
    monkeypatch.setenv("SPEC_KITTY_OUTBOX_PATH", str(tmp_path / "outbox.sqlite3"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def legacy_mission(repo: Path, slug: str) -> Path:
    """A mission whose meta.json predates `mission_id`."""
    feature_dir = repo / "kitty-specs" / slug
    feature_dir.mkdir(parents=True)
    meta = {
        "slug": slug,
        "mission_slug": slug,
        "friendly_name": "Add Clerk auth",
        "mission_type": "software-dev",
        "target_branch": "main",
        "created_at": "2026-01-01T00:00:00Z",
        "legacy_field": "kept",
    }
    (feature_dir / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return feature_dir


def test_spec_literal_client_calls_return_the_spec_dicts(repo: Path) -> None:
    legacy_mission(repo, "061-add-clerk-auth")
    client = SaaSTrackerClient()

    result = client.search_issues("linear", "acme-web", query_text="Clerk auth")
    candidate = result["candidates"][0]
    assert candidate["external_issue_key"] == "WEB-123"
    assert (result["resource_type"], result["resource_id"]) == (
        result.model.resource_type.value,
        result.model.resource_id,
    )

    bound = client.bind_mission_origin(
        "linear",
        "acme-web",
        feature_slug="061-add-clerk-auth",
        external_issue_id=candidate["external_issue_id"],
        external_issue_key=candidate["external_issue_key"],
        external_issue_url=candidate["url"],
        title=candidate["title"],
    )
    assert isinstance(bound, dict)
    assert bound["origin_link_id"] == bound.model.origin_link_id
    assert bound["bound_at"]
    # The legacy meta.json got a mission_id, additively, and the SaaS link names it.
    stored = json.loads((repo / "kitty-specs" / "061-add-clerk-auth" / "meta.json").read_text())
    assert is_ulid(stored["mission_id"])
    assert stored["legacy_field"] == "kept"
    assert bound["mission_id"] == stored["mission_id"]
    client.close()


def test_spec_literal_service_calls_run_unchanged(repo: Path) -> None:
    result = search_origin_candidates(repo, query_text="Clerk auth")
    assert result.provider.value == "linear"
    assert result["candidates"][0]["external_issue_key"] == "WEB-123"
    candidate = result.candidates[0]

    legacy = legacy_mission(repo, "060-legacy")
    meta = bind_mission_origin(legacy, candidate, "linear", "linear_team", result.resource_id)
    assert isinstance(meta, dict)
    assert meta["origin_ticket"]["external_issue_key"] == "WEB-123"
    assert is_ulid(meta["mission_id"])

    started = start_mission_from_ticket(
        repo, result.candidates[1], "linear", "linear_team", result.resource_id
    )
    assert isinstance(started.feature_dir, Path)
    assert started.feature_dir.is_dir()
    assert started["feature_slug"] == started.feature_slug
    assert started["origin_ticket"]["external_issue_key"] == "WEB-127"
    assert started.origin_ticket.external_issue_key == "WEB-127"
    assert isinstance(started["event_emitted"], bool)


def test_set_origin_ticket_takes_a_dict_or_the_model_and_fails_only_typed(tmp_path: Path) -> None:
    feature_dir = legacy_mission(tmp_path, "061-add-clerk-auth")
    ticket = {
        "provider": "linear",
        "resource_type": "linear_team",
        "resource_id": "team-uuid",
        "external_issue_id": "issue-uuid",
        "external_issue_key": "WEB-123",
        "external_issue_url": "https://linear.app/acme/issue/WEB-123/add-clerk-auth",
        "title": "Add Clerk auth",
    }
    ensure_mission_id(feature_dir)
    assert set_origin_ticket(feature_dir, ticket).model_dump(mode="json")["origin_ticket"] == ticket
    model = read_meta(feature_dir).origin_ticket
    assert isinstance(model, OriginTicket)
    assert set_origin_ticket(feature_dir, model).origin_ticket == model
    for broken in ({**ticket, "external_issue_url": "not a uri"}, {"title": 1}, "WEB-123", None, 7):
        with pytest.raises(MissionMetaError):
            set_origin_ticket(feature_dir, broken)  # type: ignore[arg-type]
