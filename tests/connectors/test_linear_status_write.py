"""Linear status write-back: the team's workflow state of the right type, chosen the same way
every time, written with `issueUpdate`; the fake checks what Linear checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import build_schema, parse, validate
from kitty_contracts import Provider, StatusCategory
from kitty_mock_saas.connectors import NotFoundError
from kitty_mock_saas.connectors.linear import LINEAR_STATE_DOCUMENTS
from kitty_mock_saas.tracker_fakes import EmbeddedFakes, TrackerWorld
from kitty_mock_saas.tracker_fakes.linear import create_linear_fake
from kitty_mock_saas.tracker_fakes.world.seed import ACME_WEB_TEAM

from .conftest import provider_schema

pytestmark = pytest.mark.anyio

# The official definitions (linear/linear packages/sdk/src/schema.graphql at 8335e09a, the
# commit ../shared/provider-schemas/linear was extracted from) of the fields the state documents
# use beyond the trimmed schema, verbatim but for descriptions and unused arguments.
_STATE_SDL = """
extend type Query {
  workflowStates(after: String, before: String, filter: WorkflowStateFilter, first: Int,
    includeArchived: Boolean, last: Int, orderBy: PaginationOrderBy): WorkflowStateConnection!
}
extend input WorkflowStateFilter { team: TeamFilter }
type WorkflowStateConnection { nodes: [WorkflowState!]! pageInfo: PageInfo! }
extend type WorkflowState { position: Float! team: Team! }
extend schema { mutation: Mutation }
type Mutation { issueUpdate(id: String!, input: IssueUpdateInput!): IssuePayload! }
input IssueUpdateInput { stateId: String title: String description: String }
type IssuePayload { issue: Issue lastSyncId: Float! success: Boolean! }
"""


def _sdl(shared: Path) -> str:
    trimmed = (shared / "provider-schemas" / "linear" / "schema.trimmed.graphql").read_text()
    return trimmed + _STATE_SDL


@pytest.mark.parametrize("name", sorted(LINEAR_STATE_DOCUMENTS))
def test_state_documents_validate_against_the_official_definitions(shared: Path, name: str) -> None:
    schema = build_schema(_sdl(shared))
    assert validate(schema, parse(LINEAR_STATE_DOCUMENTS[name])) == []
    wrong = LINEAR_STATE_DOCUMENTS[name].replace("position", "rank").replace("stateId", "state")
    assert validate(schema, parse(wrong)) != []


async def _graphql(
    world: TrackerWorld, token: str, query: str, variables: dict[str, Any]
) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_linear_fake(world))
    async with httpx.AsyncClient(transport=transport, base_url="https://api.linear.app") as http:
        return await http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )


async def _states(world: TrackerWorld, token: str = "lin-tok-alice") -> list[dict[str, Any]]:
    response = await _graphql(
        world,
        token,
        LINEAR_STATE_DOCUMENTS["TeamWorkflowStates"],
        {"teamId": ACME_WEB_TEAM.id},
    )
    return list(response.json()["data"]["workflowStates"]["nodes"])


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (StatusCategory.todo, "Todo"),  # unstarted, not Backlog or Triage
        (StatusCategory.in_progress, "In Progress"),  # the lowest "started" position
        (StatusCategory.done, "Done"),
        (StatusCategory.canceled, "Canceled"),  # never "Duplicate"
    ],
)
async def test_the_state_of_the_right_type_with_the_lowest_position_is_chosen(
    world: TrackerWorld, status: StatusCategory, state: str
) -> None:
    registry = EmbeddedFakes.over(world).registry()
    connector = registry.connector(Provider.linear, ACME_WEB_TEAM.ref(), "lin-tok-alice")
    start = "WEB-119" if status is StatusCategory.todo else "WEB-127"
    updated = await connector.sync_wp_status_to_issue(start, status)
    assert (updated.status, updated.status_category) == (state, status)
    assert world.ticket(Provider.linear, start).status_name == state  # type: ignore[union-attr]
    await registry.aclose()


async def test_issue_update_answers_like_linear_and_logs_the_writer(
    shared: Path, world: TrackerWorld
) -> None:
    done = next(s for s in await _states(world) if s["type"] == "completed")
    response = await _graphql(
        world,
        "lin-tok-alice",
        LINEAR_STATE_DOCUMENTS["UpdateIssueState"],
        {"id": "WEB-127", "stateId": done["id"]},
    )
    payload = response.json()["data"]["issueUpdate"]
    assert payload["success"] is True
    errors = list(provider_schema(shared, "linear/issue.schema.json").iter_errors(payload["issue"]))
    assert errors == []
    assert payload["issue"]["state"] == {"name": "Done", "type": "completed"}
    assert world.status_writes(Provider.linear, "WEB-127")[-1]["account_id"] == "lin-alice"


async def test_issue_update_refuses_an_unknown_state_and_an_invisible_issue(
    world: TrackerWorld,
) -> None:
    unknown = await _graphql(
        world,
        "lin-tok-alice",
        LINEAR_STATE_DOCUMENTS["UpdateIssueState"],
        {"id": "WEB-127", "stateId": "00000000-0000-4000-8000-000000000000"},
    )
    assert unknown.status_code == 200
    assert unknown.json()["data"] is None
    [error] = unknown.json()["errors"]
    assert error["message"].startswith("Entity not found: WorkflowState")
    assert error["extensions"]["code"] == "INVALID_INPUT"
    done = next(s for s in await _states(world) if s["type"] == "completed")
    # WEB-130 is carol's only: alice may neither read nor move it.
    hidden = await _graphql(
        world,
        "lin-tok-alice",
        LINEAR_STATE_DOCUMENTS["UpdateIssueState"],
        {"id": "WEB-130", "stateId": done["id"]},
    )
    assert hidden.json()["errors"][0]["message"] == "Entity not found: Issue"
    assert world.status_writes(Provider.linear) == []
    registry = EmbeddedFakes.over(world).registry()
    alice = registry.connector(Provider.linear, ACME_WEB_TEAM.ref(), "lin-tok-alice")
    with pytest.raises(NotFoundError):
        await alice.sync_wp_status_to_issue("WEB-130", "done")
    await registry.aclose()


async def test_every_team_offers_one_state_id_per_name(world: TrackerWorld) -> None:
    states = await _states(world)
    assert len({s["id"] for s in states}) == len(states) == 8
    assert {s["type"] for s in states} >= {"unstarted", "started", "completed", "canceled"}
