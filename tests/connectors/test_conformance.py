"""The shared conformance suite: every connector, over its fake, answers the same questions.

A new tracker is done when it has a `Case` here and this module passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from kitty_contracts import MatchType, OriginCandidate, Provider, StatusCategory
from kitty_contracts.validation import openapi_document, validator
from kitty_mock_saas.connectors import (
    AuthenticationFailedError,
    CapabilityNotSupportedError,
    ConnectorRegistry,
    InvalidQueryError,
    NotFoundError,
    OutOfScopeError,
    TaskTrackerConnector,
)
from kitty_mock_saas.tracker_fakes import TrackerWorld, generate_corpus
from kitty_mock_saas.tracker_fakes.world import Container
from kitty_mock_saas.tracker_fakes.world.seed import ACME_IAM, ACME_WEB_REPO, ACME_WEB_TEAM

from tests.contract.examples import named_examples

pytestmark = pytest.mark.anyio
# spec-kitty 3.x's lanes and the category each stands for, as the contract states them.
LANES = {
    lane: StatusCategory(category)
    for lane, category in openapi_document()["components"]["schemas"]["WorkPackageLane"][
        "x-status-category"
    ].items()
}


@dataclass(frozen=True)
class Case:
    provider: Provider
    container: Container
    token: str
    exact_key: str
    exact: dict[str, Any]
    key_spellings: tuple[str, ...]
    foreign_key: str
    missing_key: str
    malformed_keys: tuple[str, ...]
    text: str
    text_keys: tuple[str, ...]
    restricted_key: str
    restricted_text: str
    restricted_owner_token: str
    spec_phrase: str
    writable: frozenset[StatusCategory]
    # Whether a bare stable id finds the issue (GitHub's REST API looks issues up by number).
    fetch_by_id: bool = True


CASES = [
    Case(
        Provider.jira,
        ACME_IAM,
        "jira-tok-alice",
        "IAM-42",
        {
            "external_issue_id": "10342",
            "external_issue_key": "IAM-42",
            "title": "Rotate signing keys for SSO",
            "status": "In Review",
            "status_category": "in_progress",
            "url": "https://acme.atlassian.net/browse/IAM-42",
            "body": "The SAML signing certificate expires next quarter; rotate it without "
            "downtime.",
        },
        ("iam-42", " IAM-42 "),
        "OPS-214",
        "IAM-999",
        ("IAM42", "42", "IAM-0", "I AM-4"),
        "signing keys",
        ("IAM-42",),
        "IAM-44",
        "break-glass access",
        "jira-tok-carol",
        "SAML signing certificate",
        frozenset(StatusCategory),
    ),
    Case(
        Provider.linear,
        ACME_WEB_TEAM,
        "lin-tok-alice",
        "WEB-123",
        {
            "external_issue_id": "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d",
            "external_issue_key": "WEB-123",
            "title": "Add Clerk auth",
            "status": "In Progress",
            "status_category": "in_progress",
            "url": "https://linear.app/acme/issue/WEB-123/add-clerk-auth",
            "body": "Replace the home-grown session cookies with Clerk so that sign-in works "
            "across our apps.",
        },
        ("web-123",),
        "API-7",
        "WEB-999",
        ("WEB-abc", "WEB123", "123", "WEB-"),
        "Clerk auth",
        ("WEB-123", "WEB-127"),
        "WEB-130",
        "incident follow-up",
        "lin-tok-carol",
        "home-grown session cookies",
        frozenset(StatusCategory),
    ),
    Case(
        Provider.github,
        ACME_WEB_REPO,
        "gh-tok-alice",
        "acme/web#3",
        {
            "external_issue_id": "3000000003",
            "external_issue_key": "acme/web#3",
            "title": "Login page flickers on Safari",
            "status": "Open",
            "status_category": "todo",
            "url": "https://github.com/acme/web/issues/3",
            "body": "The form re-renders twice on load in Safari 18.",
        },
        ("#3", "3", "https://github.com/acme/web/issues/3"),
        "acme/platform#2",
        "#999",
        ("#abc", "acme/web#", "web-3", "#0"),
        "Safari flickers",
        ("acme/web#3",),
        "acme/web#11",
        "session fixation",
        "gh-tok-carol",
        "re-renders twice",
        frozenset({StatusCategory.todo, StatusCategory.done, StatusCategory.canceled}),
        fetch_by_id=False,
    ),
]


@pytest.fixture(params=CASES, ids=[case.provider.value for case in CASES])
def case(request: pytest.FixtureRequest) -> Case:
    return request.param  # type: ignore[no-any-return]


def connect(
    registry: ConnectorRegistry, case: Case, token: str | None = None
) -> TaskTrackerConnector:
    return registry.connector(case.provider, case.container.ref(), token or case.token)


def assert_contract_valid(candidates: list[OriginCandidate]) -> None:
    for candidate in candidates:
        errors = list(validator("OriginCandidate").iter_errors(candidate.model_dump(mode="json")))
        assert errors == [], errors


async def test_exact_key_gives_one_canonical_candidate(
    registry: ConnectorRegistry, case: Case
) -> None:
    hits = await connect(registry, case).search_by_key(case.exact_key)
    assert [hit.model_dump(mode="json") for hit in hits] == [{**case.exact, "match_type": "exact"}]
    assert_contract_valid(hits)


async def test_key_spellings_normalize_to_the_same_issue(
    registry: ConnectorRegistry, case: Case
) -> None:
    connector = connect(registry, case)
    for spelling in case.key_spellings:
        hits = await connector.search_by_key(spelling)
        assert [hit.external_issue_key for hit in hits] == [case.exact["external_issue_key"]]


async def test_keys_outside_the_container_or_missing_are_empty(
    registry: ConnectorRegistry, case: Case
) -> None:
    connector = connect(registry, case)
    assert await connector.search_by_key(case.foreign_key) == []
    assert await connector.search_by_key(case.missing_key) == []
    with pytest.raises(OutOfScopeError):
        await connector.fetch_issue(case.foreign_key)
    with pytest.raises(NotFoundError):
        await connector.fetch_issue(case.missing_key)


async def test_malformed_keys_are_invalid_queries(registry: ConnectorRegistry, case: Case) -> None:
    connector = connect(registry, case)
    for key in case.malformed_keys:
        with pytest.raises(InvalidQueryError) as raised:
            await connector.search_by_key(key)
        assert raised.value.provider == case.provider


async def test_text_search_is_scoped_and_relevance_ordered(
    registry: ConnectorRegistry, case: Case
) -> None:
    page = await connect(registry, case).search_text(case.text, limit=10)
    assert tuple(c.external_issue_key for c in page.candidates) == case.text_keys
    assert {c.match_type for c in page.candidates} == {MatchType.text}
    assert page.next_cursor is None
    assert_contract_valid(page.candidates)


async def test_text_without_matches_is_empty(registry: ConnectorRegistry, case: Case) -> None:
    page = await connect(registry, case).search_text("quantum teleportation")
    assert page.candidates == []
    assert page.next_cursor is None


async def test_blank_text_and_bad_limits_are_invalid(
    registry: ConnectorRegistry, case: Case
) -> None:
    connector = connect(registry, case)
    for text, limit in (("   ", 10), ("auth", 0), ("auth", 101)):
        with pytest.raises(InvalidQueryError):
            await connector.search_text(text, limit=limit)


async def test_restricted_tickets_follow_the_acting_account(
    registry: ConnectorRegistry, case: Case
) -> None:
    alice = connect(registry, case)
    owner = connect(registry, case, case.restricted_owner_token)
    assert await alice.search_by_key(case.restricted_key) == []
    assert (await alice.search_text(case.restricted_text)).candidates == []
    assert [c.external_issue_key for c in await owner.search_by_key(case.restricted_key)] == [
        case.restricted_key
    ]
    owner_page = await owner.search_text(case.restricted_text)
    assert [c.external_issue_key for c in owner_page.candidates] == [case.restricted_key]


async def test_unknown_credentials_fail_authentication(
    registry: ConnectorRegistry, case: Case
) -> None:
    connector = connect(registry, case, "not-a-known-token")
    with pytest.raises(AuthenticationFailedError):
        await connector.search_by_key(case.exact_key)
    with pytest.raises(AuthenticationFailedError):
        await connector.search_text(case.text)


async def test_pages_walk_the_same_results_as_one_big_page(
    world: TrackerWorld, registry: ConnectorRegistry, case: Case
) -> None:
    generate_corpus(world, 60, seed=11, containers=[case.container])
    connector = connect(registry, case)
    whole = await connector.search_text("the", limit=100)
    assert len(whole.candidates) >= 5
    walked: list[str] = []
    cursor = None
    while True:
        page = await connector.search_text("the", limit=2, cursor=cursor)
        assert len(page.candidates) <= 2
        walked.extend(c.external_issue_key for c in page.candidates)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert walked == [c.external_issue_key for c in whole.candidates]


async def test_fetch_issue_takes_a_key_or_an_id_and_answers_a_mapping(
    registry: ConnectorRegistry, case: Case
) -> None:
    connector = connect(registry, case)
    issue = await connector.fetch_issue(case.exact_key)
    assert issue.title == issue["title"] == case.exact["title"]
    assert list(issue) == [
        "external_issue_id",
        "external_issue_key",
        "title",
        "status",
        "status_category",
        "url",
        "body_markdown",
    ]
    as_dict = dict(issue)
    assert as_dict.pop("body_markdown") == case.exact["body"]
    assert as_dict == {k: v for k, v in case.exact.items() if k != "body"}
    with pytest.raises(KeyError):
        issue["match_type"]
    if case.fetch_by_id:
        assert await connector.fetch_issue(case.exact["external_issue_id"]) == issue
    else:
        with pytest.raises(NotFoundError):
            await connector.fetch_issue(case.exact["external_issue_id"])


async def test_create_spec_from_issue_writes_the_one_rendering(
    registry: ConnectorRegistry, case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connector = connect(registry, case)
    spec = await connector.spec_markdown(case.exact_key)
    assert spec.startswith(f"# {case.exact['title']}\n")
    assert case.spec_phrase in spec
    assert case.exact["url"] in spec
    written = await connector.create_spec_from_issue(case.exact_key, tmp_path)
    assert written == tmp_path / "spec.md"
    assert written.read_text("utf-8") == spec
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.md").unlink()
    assert await connector.create_spec_from_issue(case.exact_key) == Path.cwd() / "spec.md"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.md"]  # no temporary left


async def test_status_sync_takes_lanes_and_categories_within_the_capabilities(
    registry: ConnectorRegistry, world: TrackerWorld, case: Case
) -> None:
    connector = connect(registry, case)
    assert (
        await connector.sync_issue_to_wp(case.exact_key)
        == {
            "todo": "planned",
            "in_progress": "in_progress",
        }[case.exact["status_category"]]
    )
    assert connector.capabilities.writable_status_categories == case.writable
    # Each lane once, then each category: every way a work package status can be named.
    for status, category in [*LANES.items(), *((c.value, c) for c in StatusCategory)]:
        if category not in case.writable:
            writes_before = world.status_writes(case.provider)
            with pytest.raises(CapabilityNotSupportedError, match=category.value):
                await connector.sync_wp_status_to_issue(case.exact_key, status)
            assert world.status_writes(case.provider) == writes_before
            continue
        updated = await connector.sync_wp_status_to_issue(case.exact_key, status)
        assert updated.status_category == category
        assert (await connector.fetch_issue(case.exact_key)).status_category == category
        assert await connector.sync_issue_to_wp(case.exact_key) in {
            lane for lane, c in LANES.items() if c == category
        }
    written = {w["status_category"] for w in world.status_writes(case.provider)}
    assert written == {c.value for c in case.writable}


async def test_status_sync_takes_the_stable_id_where_fetch_does(
    registry: ConnectorRegistry, case: Case
) -> None:
    connector = connect(registry, case)
    if not case.fetch_by_id:
        with pytest.raises(NotFoundError):
            await connector.sync_wp_status_to_issue(case.exact["external_issue_id"], "done")
        return
    updated = await connector.sync_wp_status_to_issue(case.exact["external_issue_id"], "done")
    assert (updated.external_issue_key, updated.status_category) == (
        case.exact_key,
        StatusCategory.done,
    )


async def test_an_unknown_status_names_the_accepted_ones(
    registry: ConnectorRegistry, case: Case
) -> None:
    with pytest.raises(InvalidQueryError) as caught:
        await connect(registry, case).sync_wp_status_to_issue(case.exact_key, "finished")
    assert "'finished'" in str(caught.value)
    for accepted in (*LANES, "todo"):
        assert accepted in str(caught.value)


async def test_the_contract_examples_come_from_the_default_world(
    registry: ConnectorRegistry,
) -> None:
    examples = {
        e.name: e.value
        for e in named_examples()
        if e.operation_id == "searchIssues" and e.side == "response" and e.status == "200"
    }
    linear = registry.connector(Provider.linear, ACME_WEB_TEAM.ref(), "lin-tok-alice")
    jira = registry.connector(Provider.jira, ACME_IAM.ref(), "jira-tok-alice")
    text = await linear.search_text("Clerk auth", limit=10)
    exact = await jira.search_by_key("IAM-42")
    none = await linear.search_text("quantum teleportation", limit=10)
    assert [c.model_dump(mode="json") for c in text.candidates] == examples["text_search"][
        "candidates"
    ]
    assert [c.model_dump(mode="json") for c in exact] == examples["exact_key"]["candidates"]
    assert none.candidates == examples["no_match"]["candidates"] == []
    assert examples["text_search"]["resource_id"] == ACME_WEB_TEAM.id
    assert examples["exact_key"]["resource_id"] == ACME_IAM.id
