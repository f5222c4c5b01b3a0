"""The fakes stay honest: every payload they emit validates against the official provider
schemas in ../shared/provider-schemas (read in place), and a drifted fake fails the suite."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from kitty_contracts import Provider, StatusCategory
from kitty_mock_saas.connectors import ConnectorRegistry, ProviderProtocolError
from kitty_mock_saas.tracker_fakes import TrackerWorld
from kitty_mock_saas.tracker_fakes.world.seed import ACME_IAM, ACME_WEB_REPO, ACME_WEB_TEAM

from .conftest import Exchange, FakeClock, Recorder, build_registry, provider_schema

pytestmark = pytest.mark.anyio

# (provider, request marker) → the official schemas its 200 answer must satisfy.
SCHEMAS: dict[tuple[Provider, str], tuple[str, ...]] = {
    (Provider.jira, "issue"): (
        "jira/issue-bean.schema.json",
        "jira/issue-bean.profile.schema.json",
    ),
    (Provider.jira, "search"): (
        "jira/search-jql.response.schema.json",
        "jira/search-jql.response.profile.schema.json",
    ),
    (Provider.github, "issue"): ("github/issue.schema.json",),
    (Provider.github, "search"): ("github/search-issues.response.schema.json",),
    (Provider.linear, "TeamIssueByNumber"): ("linear/team-issue-by-number.response.schema.json",),
    (Provider.linear, "IssueById"): ("linear/issue-by-id.response.schema.json",),
    (Provider.linear, "SearchIssues"): ("linear/search-issues.response.schema.json",),
}


def kind_of(exchange: Exchange) -> str:
    if exchange.provider is Provider.linear:
        query = str(exchange.request_json["query"])
        return next(
            name
            for (provider, name) in SCHEMAS
            if provider is Provider.linear and f"query {name}(" in query
        )
    return "search" if "search" in exchange.path else "issue"


def schema_errors(shared: Path, exchange: Exchange) -> list[str]:
    messages = []
    for relative in SCHEMAS[(exchange.provider, kind_of(exchange))]:
        for error in provider_schema(shared, relative).iter_errors(exchange.response_json):
            messages.append(f"{relative}: {error.json_path}: {error.message}")
    return messages


async def exercise(registry: ConnectorRegistry) -> None:
    """Every read path of every connector, including hits, misses and moved issues."""
    jira = registry.connector(Provider.jira, ACME_IAM.ref(), "jira-tok-alice")
    linear = registry.connector(Provider.linear, ACME_WEB_TEAM.ref(), "lin-tok-alice")
    github = registry.connector(Provider.github, ACME_WEB_REPO.ref(), "gh-tok-alice")
    for key in ("IAM-42", "IAM-41", "IAM-45", "IAM-46", "OPS-214"):
        await jira.search_by_key(key)
    await jira.search_text("signing keys")
    await jira.search_text("the", limit=1)
    for key in ("WEB-123", "WEB-127", "WEB-124", "WEB-129", "API-7", "WEB-999"):
        await linear.search_by_key(key)
    await linear.search_text("Clerk auth", limit=1)
    for key in ("#3", "#4", "#5", "#6", "#7", "#8"):
        await github.search_by_key(key)
    await github.search_text("Safari")


def successful(recorder: Recorder) -> list[Exchange]:
    return [
        e
        for e in recorder.exchanges
        if e.status == 200
        and e.response_json is not None
        and not (e.provider is Provider.linear and e.response_json.get("data") is None)
    ]


async def test_every_fake_payload_matches_the_official_schemas(
    shared: Path, registry: ConnectorRegistry, recorder: Recorder
) -> None:
    await exercise(registry)
    checked = successful(recorder)
    assert {(e.provider, kind_of(e)) for e in checked} == set(SCHEMAS)
    failures = [f"{e.provider} {e.path}: {m}" for e in checked for m in schema_errors(shared, e)]
    assert failures == []


def drop(path: tuple[str, ...]) -> Any:
    def hook(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        changed = copy.deepcopy(payload)
        node: Any = changed
        for step in path[:-1]:
            node = node[step]
        del node[path[-1]]
        return changed

    return hook


@pytest.mark.parametrize(
    ("provider", "path"),
    [
        (Provider.jira, ("fields", "status")),
        (Provider.github, ("html_url",)),
        (Provider.linear, ("data", "issues", "nodes", 0, "url")),
    ],
    ids=["jira-status", "github-html_url", "linear-url"],
)
async def test_a_fake_that_drops_a_required_field_fails(
    shared: Path, world: TrackerWorld, provider: Provider, path: tuple[Any, ...]
) -> None:
    recorder = Recorder()
    registry = build_registry(world, recorder=recorder, clock=FakeClock(), payload_hook=drop(path))
    container, token, key = {
        Provider.jira: (ACME_IAM, "jira-tok-alice", "IAM-42"),
        Provider.github: (ACME_WEB_REPO, "gh-tok-alice", "#3"),
        Provider.linear: (ACME_WEB_TEAM, "lin-tok-alice", "WEB-123"),
    }[provider]
    connector = registry.connector(provider, container.ref(), token)
    with pytest.raises(ProviderProtocolError):
        await connector.search_by_key(key)
    [exchange] = successful(recorder)
    assert schema_errors(shared, exchange) != []
    await registry.aclose()


async def test_a_fake_that_changes_a_status_category_changes_the_answer(
    world: TrackerWorld,
) -> None:
    def recategorize(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        changed = copy.deepcopy(payload)
        changed["fields"]["status"]["statusCategory"]["key"] = "done"
        return changed

    registry = build_registry(world, payload_hook=recategorize)
    jira = registry.connector(Provider.jira, ACME_IAM.ref(), "jira-tok-alice")
    [hit] = await jira.search_by_key("IAM-42")
    # The conformance suite expects in_progress for IAM-42, so this drift fails it.
    assert hit.status_category is StatusCategory.done
    await registry.aclose()


async def test_an_unknown_status_category_is_a_protocol_error(world: TrackerWorld) -> None:
    def invent(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        changed = copy.deepcopy(payload)
        for node in changed["data"]["issues"]["nodes"]:
            node["state"]["type"] = "done"
        return changed

    registry = build_registry(world, payload_hook=invent)
    linear = registry.connector(Provider.linear, ACME_WEB_TEAM.ref(), "lin-tok-alice")
    with pytest.raises(ProviderProtocolError):
        await linear.search_by_key("WEB-123")
    await registry.aclose()
