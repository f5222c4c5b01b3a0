"""`config/task_trackers.yaml`: contract validation, env references, redaction."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from kitty_contracts import Provider
from kitty_mock_saas.connectors import (
    ConnectorRegistry,
    Credential,
    TrackerConfigError,
    enabled_trackers,
    load_task_trackers_config,
    resolve_env_reference,
)
from kitty_mock_saas.tracker_fakes import EmbeddedFakes, TrackerWorld
from kitty_mock_saas.tracker_fakes.world.seed import (
    ACME_IAM,
    ACME_WEB_REPO,
    ACME_WEB_TEAM,
    INSTALLATION_TOKENS,
)

from .conftest import FakeClock

pytestmark = pytest.mark.anyio

VALID = """\
task_trackers:
  jira:
    enabled: true
    server_url: https://acme.atlassian.net
    email: bot@acme.test
    credentials: env:JIRA_API_TOKEN
  linear:
    enabled: false
    api_key: env:LINEAR_API_KEY
  github:
    enabled: true
    token: env:GITHUB_TOKEN
    timeout_seconds: 5
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "task_trackers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_loads_with_references_unresolved(tmp_path: Path) -> None:
    config = load_task_trackers_config(write(tmp_path, VALID))
    trackers = enabled_trackers(config)
    assert [t.provider for t in trackers] == [Provider.jira, Provider.github]
    jira, github = trackers
    assert (jira.api_url, jira.credential_reference, jira.email) == (
        "https://acme.atlassian.net",
        "env:JIRA_API_TOKEN",
        "bot@acme.test",
    )
    assert (github.api_url, github.timeout_seconds) == ("https://api.github.com", 5)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (VALID.replace("env:GITHUB_TOKEN", "ghp_literal_secret_123"), "task_trackers.github.token"),
        (VALID.replace("    server_url: https://acme.atlassian.net\n", ""), "task_trackers.jira"),
        (VALID.replace("enabled: false", "enabled: maybe"), "task_trackers.linear.enabled"),
        (VALID + "  asana:\n    enabled: true\n", "task_trackers"),
        ("task_trackers: [1, 2]\n", "task_trackers"),
    ],
    ids=["literal-secret", "missing-server-url", "not-a-boolean", "unknown-tracker", "list"],
)
def test_a_bad_file_names_the_file_and_field_without_echoing_values(
    tmp_path: Path, text: str, field: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(TrackerConfigError) as raised:
        load_task_trackers_config(path)
    assert raised.value.path == str(path)
    assert raised.value.field == field
    assert str(path) in str(raised.value)
    assert field in str(raised.value)
    assert "ghp_literal_secret_123" not in str(raised.value)


@pytest.mark.parametrize("text", ["task_trackers: [unclosed\n", None])
def test_unreadable_files_are_config_errors(tmp_path: Path, text: str | None) -> None:
    path = write(tmp_path, text) if text is not None else tmp_path / "missing.yaml"
    with pytest.raises(TrackerConfigError) as raised:
        load_task_trackers_config(path)
    assert raised.value.path == str(path)


def test_env_references_resolve_lazily_and_stay_redacted() -> None:
    credential = resolve_env_reference("env:JIRA_API_TOKEN", environ={"JIRA_API_TOKEN": "s3cr3t"})
    assert credential.reveal() == "s3cr3t"
    for text in (repr(credential), str(credential), f"{credential}"):
        assert "s3cr3t" not in text
        assert "env:JIRA_API_TOKEN" in text
    with pytest.raises(TrackerConfigError, match="JIRA_API_TOKEN is not set") as raised:
        resolve_env_reference(
            "env:JIRA_API_TOKEN", environ={}, field_path="task_trackers.jira.credentials"
        )
    assert raised.value.field == "task_trackers.jira.credentials"
    with pytest.raises(TrackerConfigError):
        resolve_env_reference("plain-secret", environ={})


async def test_configured_trackers_use_the_real_transport_and_the_rest_the_fakes(
    tmp_path: Path, world: TrackerWorld
) -> None:
    seen: list[httpx.Request] = []

    def real_github(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404, json={"message": "Not Found"})

    config = load_task_trackers_config(write(tmp_path, VALID))
    environ = {"JIRA_API_TOKEN": "jira-tok-alice", "GITHUB_TOKEN": "gh-real-token"}
    registry = ConnectorRegistry.from_config(
        config,
        base=EmbeddedFakes.over(world).registry(),
        environ=environ,
        transport=httpx.MockTransport(real_github),
        clock=FakeClock(),
    )
    # github is configured: it goes to api.github.com with the env credential.
    github = registry.connector(Provider.github, ACME_WEB_REPO.ref())
    assert await github.search_by_key("#3") == []
    assert seen[0].url.host == "api.github.com"
    assert seen[0].headers["authorization"] == "Bearer gh-real-token"
    # linear is disabled: the in-process fake answers.
    linear = registry.connector(Provider.linear, ACME_WEB_TEAM.ref(), "lin-tok-alice")
    assert len(await linear.search_by_key("WEB-123")) == 1
    # jira is configured with an email: Basic auth against the configured site.
    jira = registry.connector(Provider.jira, ACME_IAM.ref())
    assert jira.client.base_url == "https://acme.atlassian.net"
    await registry.aclose()


async def test_the_endpoint_carries_the_resolved_installation_credential(
    tmp_path: Path, world: TrackerWorld
) -> None:
    path = write(tmp_path, VALID)
    environ = {"JIRA_API_TOKEN": "jira-install", "GITHUB_TOKEN": "gh-install"}
    registry = ConnectorRegistry.from_config(
        load_task_trackers_config(path),
        base=EmbeddedFakes.over(world).registry(),
        environ=environ,
        source=str(path),
    )
    jira = registry.endpoint(Provider.jira)
    assert jira.credential is not None
    assert (jira.credential.reveal(), jira.credential.source) == (
        "jira-install",
        "env:JIRA_API_TOKEN",
    )
    assert (jira.api_url, jira.email) == ("https://acme.atlassian.net", "bot@acme.test")
    embedded = registry.endpoint(Provider.linear).credential  # the fake's seeded installation
    assert embedded is not None
    assert embedded.reveal() == INSTALLATION_TOKENS[Provider.linear]
    assert registry.routes() == {
        Provider.linear: "embedded fake (in process)",
        Provider.jira: "https://acme.atlassian.net, installation credential env:JIRA_API_TOKEN",
        Provider.github: "https://api.github.com, installation credential env:GITHUB_TOKEN",
    }
    # A sandbox's registry over its own world borrows the configured endpoints, never closes them.
    sandbox = EmbeddedFakes(world.copy_to(":memory:"), providers=(Provider.linear,)).rebind(
        registry
    )
    assert sandbox.endpoint(Provider.jira).http is jira.http
    assert sandbox.endpoint(Provider.linear).http is not registry.endpoint(Provider.linear).http
    await sandbox.aclose()
    assert not jira.http.is_closed
    await registry.aclose()
    assert jira.http.is_closed


def test_an_unset_credential_names_file_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    with pytest.raises(TrackerConfigError) as raised:
        ConnectorRegistry.from_config(
            load_task_trackers_config(path), environ={"GITHUB_TOKEN": "gh-1"}, source=str(path)
        )
    assert (raised.value.path, raised.value.field) == (str(path), "task_trackers.jira.credentials")
    assert str(raised.value).startswith(f"{path}: task_trackers.jira.credentials: ")
    assert "gh-1" not in str(raised.value)


def test_an_unset_credential_fails_when_the_registry_is_built(tmp_path: Path) -> None:
    config = load_task_trackers_config(write(tmp_path, VALID))
    with pytest.raises(TrackerConfigError) as raised:
        ConnectorRegistry.from_config(config, environ={"JIRA_API_TOKEN": "x"})
    assert raised.value.field == "task_trackers.github.token"


def test_credential_is_a_plain_value_object() -> None:
    assert Credential("env:A", "x") == Credential("env:A", "x")


async def test_containers_can_be_named_by_key_of_the_world(world: TrackerWorld) -> None:
    registry = EmbeddedFakes.over(world).registry()
    connector = registry.connector("linear", "WEB", "lin-tok-alice")
    assert connector.container == ACME_WEB_TEAM.ref()
    with pytest.raises(TrackerConfigError, match="no linear container 'NOPE'"):
        registry.connector(Provider.linear, "NOPE", "lin-tok-alice")
    # Without a credential a connector acts as the seeded installation, which the fake knows.
    installation = registry.connector(Provider.jira, ACME_IAM.ref())
    await installation.sync_wp_status_to_issue("IAM-35", "done")
    assert [w["account_id"] for w in world.status_writes(Provider.jira, "IAM-35")] == [
        world.account_for_token(Provider.jira, INSTALLATION_TOKENS[Provider.jira])
    ]
    await registry.aclose()
    overview = world.containers_overview()
    assert overview[0] == {
        "provider": "jira",
        "key": "IAM",
        "id": "10042",
        "name": "Identity and Access",
        "site_url": "https://acme.atlassian.net",
        "ticket_count": 9,
    }
    [newest] = world.tickets_overview(container="WEB", limit=1)
    assert newest["key"] == "WEB-130"
    await registry.aclose()
