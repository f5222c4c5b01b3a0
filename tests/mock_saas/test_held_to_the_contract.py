"""What the mock accepts is what the contract and upstream accept: origin events obey the team's
origin provider policy and their payload schema, and fixtures obey `ResourceType.x-provider` and
the one-to-one mapping of projects and containers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from kitty_mock_saas.fixtures import FixtureError, load_fixtures

from tests.mock_saas.conftest import EVENTS
from tests.mock_saas.test_events import origin_event

pytestmark = pytest.mark.both_backends

ALICE = {"Authorization": "Bearer tok-alice"}
CAROL = {"Authorization": "Bearer tok-carol"}
GITHUB = {
    "provider": "github",
    "external_issue_id": "3000000003",
    "external_issue_key": "acme/web#3",
    "external_issue_url": "https://github.com/acme/web/issues/3",
    "title": "Login page flickers on Safari",
}


def result(mock: TestClient, event: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    [answer] = mock.post(EVENTS, json={"events": [event]}, headers=headers).json()["results"]
    return dict(answer)


def test_a_github_origin_event_is_rejected_where_the_policy_does_not_allow_github(
    mock: TestClient,
) -> None:
    refused = result(mock, origin_event(**GITHUB) | {"team_slug": "globex"}, CAROL)
    assert (refused["status"], refused["error_category"]) == ("rejected", "authorization")
    assert "github is not an origin provider of team globex" in refused["error"]
    # acme opted into GitHub: the same event is accepted there.
    event = origin_event("01JD8Z0000000000000000000B", **GITHUB) | {"team_slug": "acme"}
    assert result(mock, event, ALICE)["status"] == "accepted"


def test_an_unbound_event_is_held_to_its_payload_schema(mock: TestClient) -> None:
    unbound = origin_event("01JD8Z0000000000000000000C") | {"event_type": "MissionOriginUnbound"}
    assert result(mock, unbound, ALICE)["status"] == "accepted"
    broken = origin_event("01JD8Z0000000000000000000D") | {"event_type": "MissionOriginUnbound"}
    broken["payload"] = {**broken["payload"], "unexpected": True}
    del broken["payload"]["external_issue_key"]
    refused = result(mock, broken, ALICE)
    assert (refused["status"], refused["error_category"]) == ("rejected", "validation")
    assert refused["error"].startswith("payload")
    policy = origin_event("01JD8Z0000000000000000000E", provider="github")
    policy |= {"event_type": "MissionOriginUnbound", "team_slug": "globex"}
    assert result(mock, policy, CAROL)["status"] == "rejected"


def write(tmp_path: Path, change: Any) -> Path:
    fixtures = load_fixtures(None).model_dump(mode="json")
    change(fixtures["resource_mappings"])
    path = tmp_path / "fixtures.yaml"
    path.write_text(yaml.safe_dump(fixtures), encoding="utf-8")
    return path


def test_a_mapping_typed_for_another_provider_is_refused_naming_file_and_entry(
    tmp_path: Path,
) -> None:
    def linear_as_jira(mappings: list[dict[str, Any]]) -> None:
        mappings[1]["resource_type"] = "jira_project"

    path = write(tmp_path, linear_as_jira)
    with pytest.raises(FixtureError) as caught:
        load_fixtures(path)
    message = str(caught.value)
    assert str(path) in message
    assert "resource_mappings[1] (project 'acme-web')" in message
    assert "jira_project belongs to jira, not to provider linear" in message


@pytest.mark.parametrize("field", ["resource_id", "container", "project_slug"])
def test_two_mappings_of_one_container_or_project_are_refused(tmp_path: Path, field: str) -> None:
    def duplicate(mappings: list[dict[str, Any]]) -> None:
        twin = dict(mappings[0])
        for other in ("project_slug", "binding_ref", "resource_id", "container"):
            if other != field:
                twin[other] = f"{twin[other]}-2" if other != "binding_ref" else "bnd_twin"
        mappings.append(twin)

    with pytest.raises(FixtureError) as caught:
        load_fixtures(write(tmp_path, duplicate))
    assert "is mapped already by resource_mappings[0]" in str(caught.value)
