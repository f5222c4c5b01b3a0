"""The official Linear SDK's own documents (tests/tracker_fakes/linear_sdk, @linear/sdk 88.3.0)
against the Linear fake: each answered with data and no errors, the data is the world's, and
every answer validates against Linear's schema."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from kitty_mock_saas.provider_contracts.sdl import answer_problems, document_problems
from kitty_mock_saas.tracker_fakes import TrackerWorld, create_linear_fake
from kitty_mock_saas.tracker_fakes.world.seed import ACME_API, ACME_WEB_TEAM

pytestmark = pytest.mark.anyio

DOCUMENTS = Path(__file__).parent / "linear_sdk"
SDK_DOCUMENTS = sorted(p.stem for p in DOCUMENTS.glob("*.graphql"))
Json = dict[str, Any]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def world(default_world: TrackerWorld) -> TrackerWorld:
    return default_world


class SDK:
    """Sends the SDK's documents as the SDK does: POST /graphql, the API key verbatim."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def send(
        self, name: str, variables: Json | None = None, token: str = "lin-tok-alice"
    ) -> Json:
        query = (DOCUMENTS / f"{name}.graphql").read_text(encoding="utf-8")
        response = await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": token},
        )
        body: Json = response.json()
        assert answer_problems(query, variables, body) == []
        assert response.status_code == 200, body
        assert "errors" not in body, body["errors"]
        data: Json = body["data"]
        return data


@pytest.fixture
async def sdk(world: TrackerWorld) -> AsyncIterator[SDK]:
    transport = httpx.ASGITransport(app=create_linear_fake(world))
    async with httpx.AsyncClient(transport=transport, base_url="https://api.linear.app") as http:
        yield SDK(http)


@pytest.mark.parametrize("name", SDK_DOCUMENTS)
def test_every_sdk_document_validates_against_the_committed_schema(name: str) -> None:
    assert document_problems((DOCUMENTS / f"{name}.graphql").read_text(encoding="utf-8")) == []


def test_the_documents_are_the_operations_a_linear_client_needs() -> None:
    assert set(SDK_DOCUMENTS) == set(CHECKS)


async def _state_id(sdk: SDK, team_key: str, state_type: str) -> str:
    data = await sdk.send(
        "WorkflowStates",
        {"filter": {"team": {"key": {"eq": team_key}}, "type": {"eq": state_type}}},
    )
    [state] = data["workflowStates"]["nodes"]
    return str(state["id"])


async def _label_id(sdk: SDK, team_key: str, name: str) -> str:
    data = await sdk.send(
        "IssueLabels",
        {"filter": {"name": {"eq": name}, "team": {"key": {"eq": team_key}}}},
    )
    [label] = data["issueLabels"]["nodes"]
    return str(label["id"])


async def check_viewer(sdk: SDK) -> None:
    viewer = (await sdk.send("Viewer"))["viewer"]
    assert (viewer["id"], viewer["name"], viewer["email"]) == (
        "lin-alice",
        "Alice Adams",
        "alice@acme.example",
    )
    assert viewer["isMe"] is True


async def check_organization(sdk: SDK) -> None:
    organization = (await sdk.send("Organization"))["organization"]
    assert (organization["urlKey"], organization["name"]) == ("acme", "Acme")


async def check_teams(sdk: SDK) -> None:
    teams = (await sdk.send("Teams"))["teams"]["nodes"]
    assert {t["key"] for t in teams} == {"WEB", "API"}
    only = await sdk.send("Teams", {"filter": {"key": {"eq": "API"}}})
    assert [t["id"] for t in only["teams"]["nodes"]] == [ACME_API.id]


async def check_team(sdk: SDK) -> None:
    team = (await sdk.send("Team", {"id": ACME_WEB_TEAM.id}))["team"]
    assert (team["key"], team["name"]) == ("WEB", "Web")


async def check_team_issues(sdk: SDK) -> None:
    data = await sdk.send(
        "Team_Issues",
        {"id": ACME_WEB_TEAM.id, "filter": {"labels": {"name": {"eq": "Bug"}}}, "first": 50},
    )
    nodes = data["team"]["issues"]["nodes"]
    # WEB-125 is a bug too, but alice cannot see only WEB-130; bugs: 119, 121, 125.
    assert {n["identifier"] for n in nodes} == {"WEB-119", "WEB-121", "WEB-125"}


async def check_team_states(sdk: SDK) -> None:
    data = await sdk.send("Team_States", {"id": ACME_WEB_TEAM.id})
    states = data["team"]["states"]["nodes"]
    assert {s["type"] for s in states} >= {"unstarted", "started", "completed", "canceled"}


async def check_users(sdk: SDK) -> None:
    users = (await sdk.send("Users"))["users"]["nodes"]
    assert {"lin-alice", "lin-bob", "lin-carol", "lin-dan"} <= {u["id"] for u in users}


async def check_user(sdk: SDK) -> None:
    user = (await sdk.send("User", {"id": "lin-bob"}))["user"]
    assert (user["name"], user["isMe"]) == ("Bob Brown", False)


async def check_workflow_states(sdk: SDK) -> None:
    data = await sdk.send("WorkflowStates", {"filter": {"team": {"id": {"eq": ACME_API.id}}}})
    assert len(data["workflowStates"]["nodes"]) == 8


async def check_workflow_state(sdk: SDK) -> None:
    done = await _state_id(sdk, "WEB", "completed")
    state = (await sdk.send("WorkflowState", {"id": done}))["workflowState"]
    assert (state["name"], state["type"]) == ("Done", "completed")


async def check_issue(sdk: SDK) -> None:
    issue = (await sdk.send("Issue", {"id": "WEB-123"}))["issue"]
    assert (issue["identifier"], issue["title"], issue["priority"]) == (
        "WEB-123",
        "Add Clerk auth",
        2,
    )
    by_id = (await sdk.send("Issue", {"id": issue["id"]}))["issue"]
    assert by_id["identifier"] == "WEB-123"


async def check_issues(sdk: SDK) -> None:
    data = await sdk.send(
        "Issues",
        {
            "filter": {
                "team": {"key": {"eq": "WEB"}},
                "or": [
                    {"title": {"containsIgnoreCase": "clerk"}},
                    {"description": {"containsIgnoreCase": "clerk"}},
                ],
            },
            "first": 10,
        },
    )
    assert {n["identifier"] for n in data["issues"]["nodes"]} == {"WEB-123", "WEB-127"}


async def check_search_issues(sdk: SDK) -> None:
    data = await sdk.send(
        "SearchIssues", {"term": "Clerk", "filter": {"team": {"id": {"eq": ACME_WEB_TEAM.id}}}}
    )
    found = data["searchIssues"]
    assert {n["identifier"] for n in found["nodes"]} == {"WEB-123", "WEB-127"}
    assert found["totalCount"] == 2


async def check_issue_comments(sdk: SDK) -> None:
    data = await sdk.send("Issue_Comments", {"id": "WEB-123"})
    assert data["issue"]["comments"]["nodes"] != []


async def check_issue_labels_of_issue(sdk: SDK) -> None:
    data = await sdk.send("Issue_Labels", {"id": "WEB-123"})
    assert {n["name"] for n in data["issue"]["labels"]["nodes"]} == {"Feature", "Auth"}


async def check_issue_labels(sdk: SDK) -> None:
    data = await sdk.send("IssueLabels", {"filter": {"name": {"eq": "Bug"}}})
    assert len(data["issueLabels"]["nodes"]) == 2  # WEB's and API's


async def check_issue_label(sdk: SDK) -> None:
    bug = await _label_id(sdk, "WEB", "Bug")
    label = (await sdk.send("IssueLabel", {"id": bug}))["issueLabel"]
    assert label["name"] == "Bug"


async def check_comments(sdk: SDK) -> None:
    data = await sdk.send("Comments", {"filter": {"issue": {"id": {"eq": "WEB-119"}}}})
    bodies = [c["body"] for c in data["comments"]["nodes"]]
    assert bodies == ["Waiting for the payment frame fixed it locally."]


async def check_comment(sdk: SDK) -> None:
    listed = await sdk.send("Issue_Comments", {"id": "WEB-119"})
    [first] = listed["issue"]["comments"]["nodes"]
    comment = (await sdk.send("Comment", {"id": first["id"]}))["comment"]
    assert comment["body"] == first["body"]


async def check_create_issue(sdk: SDK) -> None:
    bug = await _label_id(sdk, "WEB", "Bug")
    created = await sdk.send(
        "CreateIssue",
        {
            "input": {
                "teamId": ACME_WEB_TEAM.id,
                "title": "Checkout button overlaps the footer",
                "description": "On narrow screens.",
                "priority": 2,
                "labelIds": [bug],
                "assigneeId": "lin-bob",
            }
        },
    )
    assert created["issueCreate"]["success"] is True
    issue = (await sdk.send("Issue", {"id": created["issueCreate"]["issue"]["id"]}))["issue"]
    assert (issue["title"], issue["priority"], issue["labelIds"]) == (
        "Checkout button overlaps the footer",
        2,
        [bug],
    )
    assert issue["assignee"]["id"] == "lin-bob"
    assert issue["creator"]["id"] == "lin-alice"


async def check_update_issue(sdk: SDK) -> None:
    done = await _state_id(sdk, "WEB", "completed")
    bug = await _label_id(sdk, "WEB", "Bug")
    updated = await sdk.send(
        "UpdateIssue",
        {
            "id": "WEB-124",
            "input": {
                "title": "Retry webhooks with backoff",
                "description": "Exponential, capped at an hour.",
                "stateId": done,
                "priority": 1,
                "labelIds": [bug],
                "assigneeId": "lin-carol",
            },
        },
    )
    assert updated["issueUpdate"]["success"] is True
    issue = (await sdk.send("Issue", {"id": "WEB-124"}))["issue"]
    assert (issue["title"], issue["description"], issue["priority"]) == (
        "Retry webhooks with backoff",
        "Exponential, capped at an hour.",
        1,
    )
    assert (issue["state"]["id"], issue["labelIds"], issue["assignee"]["id"]) == (
        done,
        [bug],
        "lin-carol",
    )


async def check_create_comment(sdk: SDK) -> None:
    created = await sdk.send(
        "CreateComment", {"input": {"issueId": "WEB-124", "body": "Picked up **today**."}}
    )
    assert created["commentCreate"]["success"] is True
    comments = (await sdk.send("Issue_Comments", {"id": "WEB-124"}))["issue"]["comments"]
    assert [c["body"] for c in comments["nodes"]] == ["Picked up **today**."]
    assert comments["nodes"][0]["user"]["id"] == "lin-alice"


CHECKS = {
    "Viewer": check_viewer,
    "Organization": check_organization,
    "Teams": check_teams,
    "Team": check_team,
    "Team_Issues": check_team_issues,
    "Team_States": check_team_states,
    "Users": check_users,
    "User": check_user,
    "WorkflowStates": check_workflow_states,
    "WorkflowState": check_workflow_state,
    "Issue": check_issue,
    "Issues": check_issues,
    "SearchIssues": check_search_issues,
    "Issue_Comments": check_issue_comments,
    "Issue_Labels": check_issue_labels_of_issue,
    "IssueLabels": check_issue_labels,
    "IssueLabel": check_issue_label,
    "Comments": check_comments,
    "Comment": check_comment,
    "CreateIssue": check_create_issue,
    "UpdateIssue": check_update_issue,
    "CreateComment": check_create_comment,
}


@pytest.mark.parametrize("name", sorted(CHECKS))
async def test_the_sdk_document_is_answered_with_the_worlds_data(sdk: SDK, name: str) -> None:
    await CHECKS[name](sdk)
