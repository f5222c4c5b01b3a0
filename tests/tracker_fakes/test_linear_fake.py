"""The Linear fake behaves as Linear: its filters, Relay pagination, ordering, defaults for
what the world does not model, and Linear's error answers. Every answer is checked against
Linear's schema."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from kitty_contracts import Provider
from kitty_mock_saas.provider_contracts.sdl import answer_problems, linear_schema
from kitty_mock_saas.tracker_fakes import TrackerWorld, create_linear_fake
from kitty_mock_saas.tracker_fakes.linear.mutations import MUTATION_FIELDS
from kitty_mock_saas.tracker_fakes.linear.queries import QUERY_FIELDS
from kitty_mock_saas.tracker_fakes.world import TicketChanges
from kitty_mock_saas.tracker_fakes.world.seed import ACME_WEB_TEAM

pytestmark = pytest.mark.anyio
Json = dict[str, Any]

ISSUES = """
query Issues($filter: IssueFilter, $first: Int, $after: String, $last: Int, $before: String,
             $orderBy: PaginationOrderBy) {
  issues(filter: $filter, first: $first, after: $after, last: $last, before: $before,
         orderBy: $orderBy) {
    nodes { identifier }
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def world(default_world: TrackerWorld) -> TrackerWorld:
    return default_world


async def post(
    world: TrackerWorld,
    query: str,
    variables: Json | None = None,
    *,
    token: str | None = "lin-tok-alice",
) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_linear_fake(world))
    headers = {"Authorization": token} if token else {}
    async with httpx.AsyncClient(transport=transport, base_url="https://api.linear.app") as http:
        response = await http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
    assert answer_problems(query, variables, response.json()) == []
    return response


async def identifiers(
    world: TrackerWorld, issue_filter: Json, token: str = "lin-tok-alice"
) -> set[str]:
    response = await post(world, ISSUES, {"filter": issue_filter, "first": 250}, token=token)
    assert response.status_code == 200, response.json()
    return {n["identifier"] for n in response.json()["data"]["issues"]["nodes"]}


def web_keys(world: TrackerWorld, account: str) -> set[str]:
    return {
        t.key
        for t in world.tickets(Provider.linear, "WEB", limit=1000)
        if not t.deleted and t.visible_to(account)
    }


def test_every_root_field_of_the_committed_schema_has_a_resolver() -> None:
    schema = linear_schema()
    assert schema.query_type is not None
    assert schema.mutation_type is not None
    assert set(schema.query_type.fields) == set(QUERY_FIELDS)
    assert set(schema.mutation_type.fields) == set(MUTATION_FIELDS)


async def test_a_team_filter_alone_lists_every_issue_the_caller_may_see(
    world: TrackerWorld,
) -> None:
    web = {"team": {"key": {"eq": "WEB"}}}
    assert await identifiers(world, web) == web_keys(world, "lin-alice")
    assert "WEB-130" not in web_keys(world, "lin-alice")
    assert "WEB-130" in await identifiers(world, web, token="lin-tok-carol")


@pytest.mark.parametrize(
    ("issue_filter", "expected"),
    [
        ({"id": {"eq": "WEB-123"}}, {"WEB-123"}),
        ({"id": {"in": ["WEB-123", "web-999"]}}, {"WEB-123"}),
        ({"team": {"id": {"eq": ACME_WEB_TEAM.id}}, "number": {"eq": 127}}, {"WEB-127"}),
        ({"number": {"gte": 128}, "team": {"key": {"eq": "WEB"}}}, {"WEB-128", "WEB-129"}),
        ({"title": {"contains": "Clerk"}}, {"WEB-123", "WEB-127"}),
        ({"title": {"contains": "clerk"}}, set()),
        ({"title": {"containsIgnoreCase": "clerk"}}, {"WEB-123", "WEB-127"}),
        ({"title": {"startsWith": "Add Clerk"}}, {"WEB-123"}),
        ({"title": {"eqIgnoreCase": "add clerk AUTH"}}, {"WEB-123"}),
        ({"description": {"containsIgnoreCase": "SESSION COOKIES"}}, {"WEB-123"}),
        ({"priority": {"eq": 1}}, {"WEB-125"}),
        ({"assignee": {"id": {"eq": "lin-dan"}}}, {"WEB-125"}),
        (
            {"assignee": {"isMe": {"eq": True}}, "labels": {"name": {"eq": "Auth"}}},
            {"WEB-123", "WEB-127"},
        ),
        ({"parent": {"id": {"eq": "WEB-123"}}}, {"WEB-127"}),
        ({"labels": {"some": {"name": {"in": ["Security", "Auth"]}}}}, {"WEB-123", "WEB-127"}),
        (
            {
                "or": [{"title": {"contains": "Clerk"}}, {"priority": {"eq": 1}}],
                "labels": {"name": {"eq": "Auth"}},
            },
            {"WEB-123", "WEB-127"},
        ),
        ({"and": [{"labels": {"name": {"eq": "Bug"}}}, {"assignee": {"null": True}}]}, set()),
    ],
)
async def test_issue_filters(world: TrackerWorld, issue_filter: Json, expected: set[str]) -> None:
    assert await identifiers(world, issue_filter) == expected


async def test_state_and_time_filters(world: TrackerWorld) -> None:
    every = web_keys(world, "lin-alice")
    started = {
        t.key
        for t in world.tickets(Provider.linear, "WEB", limit=1000)
        if t.key in every and t.status_name in ("In Progress", "In Review")
    }
    assert started
    assert (
        await identifiers(
            world, {"state": {"type": {"eq": "started"}}, "team": {"key": {"eq": "WEB"}}}
        )
        == started
    )
    visible = [t for t in world.tickets(Provider.linear, "WEB", limit=1000) if t.key in every]
    newest = max(visible, key=lambda t: t.updated_at)
    since = {"updatedAt": {"gte": newest.updated_at.isoformat()}, "team": {"key": {"eq": "WEB"}}}
    assert await identifiers(world, since) == {
        t.key for t in visible if t.updated_at >= newest.updated_at
    }
    # Relative times count from now: nothing seeded was created in the last day.
    recent = {"createdAt": {"gt": "-P1D"}}
    assert await identifiers(world, recent) == set()
    await post(
        world,
        "mutation($input: IssueCreateInput!) { issueCreate(input: $input) { success } }",
        {"input": {"teamId": ACME_WEB_TEAM.id, "title": "Fresh"}},
    )
    [fresh] = await identifiers(world, recent)
    assert world.ticket(Provider.linear, fresh) is not None


async def test_relay_pagination_walks_forward_and_back(world: TrackerWorld) -> None:
    web = {"team": {"key": {"eq": "WEB"}}}
    walked: list[str] = []
    after = None
    for _ in range(20):
        page = (await post(world, ISSUES, {"filter": web, "first": 3, "after": after})).json()
        connection = page["data"]["issues"]
        walked += [n["identifier"] for n in connection["nodes"]]
        assert [e["cursor"] for e in connection["edges"]][-1:] == [
            connection["pageInfo"]["endCursor"]
        ]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert len(walked) == len(set(walked)) == len(web_keys(world, "lin-alice"))
    last = (await post(world, ISSUES, {"filter": web, "last": 2})).json()["data"]["issues"]
    assert [n["identifier"] for n in last["nodes"]] == walked[-2:]
    assert last["pageInfo"]["hasPreviousPage"] is True
    assert last["pageInfo"]["hasNextPage"] is False
    before = last["pageInfo"]["startCursor"]
    previous = (await post(world, ISSUES, {"filter": web, "last": 2, "before": before})).json()
    assert [n["identifier"] for n in previous["data"]["issues"]["nodes"]] == walked[-4:-2]
    empty = (await post(world, ISSUES, {"filter": {"title": {"eq": "nothing"}}})).json()
    assert empty["data"]["issues"]["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": False,
        "startCursor": None,
        "endCursor": None,
    }


async def test_issues_come_newest_first_by_created_or_updated_time(world: TrackerWorld) -> None:
    web = {"team": {"key": {"eq": "WEB"}}}
    by_created = (await post(world, ISSUES, {"filter": web})).json()["data"]["issues"]["nodes"]
    keys = [n["identifier"] for n in by_created]
    tickets = {t.key: t for t in world.tickets(Provider.linear, "WEB", limit=1000)}
    assert keys == sorted(
        keys, key=lambda k: (tickets[k].created_at, tickets[k].number), reverse=True
    )
    await post(
        world,
        'mutation { issueUpdate(id: "WEB-118", input: {priority: 1}) { success } }',
    )
    by_updated = (await post(world, ISSUES, {"filter": web, "orderBy": "updatedAt"})).json()
    assert by_updated["data"]["issues"]["nodes"][0]["identifier"] == "WEB-118"


async def test_fields_the_world_does_not_model_answer_schema_correct_defaults(
    world: TrackerWorld,
) -> None:
    query = """
    { issue(id: "WEB-123") {
        estimate cycle { id } boardOrder sortOrder reactionData trashed
        subscribers { nodes { id } pageInfo { hasNextPage } }
        team { cyclesEnabled timezone organization { urlKey } }
        state { description }
    } }
    """
    first = (await post(world, query)).json()
    assert first == (await post(world, query)).json()
    issue = first["data"]["issue"]
    assert (issue["estimate"], issue["cycle"], issue["boardOrder"], issue["trashed"]) == (
        None,
        None,
        0,
        None,
    )
    assert issue["subscribers"] == {"nodes": [], "pageInfo": {"hasNextPage": False}}
    assert issue["team"]["organization"] == {"urlKey": "acme"}


async def test_validation_errors_are_linears_400s(world: TrackerWorld) -> None:
    wrong = await post(world, '{ issue(id: "WEB-123") { nosuchfield } }')
    assert wrong.status_code == 400
    [error] = wrong.json()["errors"]
    assert error["message"] == "Cannot query field 'nosuchfield' on type 'Issue'."
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert error["extensions"]["type"] == "graphql error"
    assert error["locations"] == [{"line": 1, "column": 26}]
    unserved = await post(world, "{ projects { nodes { id } } }")
    assert unserved.status_code == 400
    syntax = await post(world, "{ issue(id: ")
    assert syntax.status_code == 400
    assert syntax.json()["errors"][0]["message"].startswith("Syntax Error")


async def test_an_input_field_linear_does_not_define_is_refused_before_anything_runs(
    world: TrackerWorld,
) -> None:
    created = await post(
        world,
        "mutation($input: IssueCreateInput!) { issueCreate(input: $input) { success } }",
        {"input": {"teamId": ACME_WEB_TEAM.id, "title": "Tagged", "labelNames": ["Bug"]}},
    )
    assert created.status_code == 400
    assert "labelNames" in created.json()["errors"][0]["message"]
    assert await identifiers(world, {"title": {"eq": "Tagged"}}) == set()


async def test_an_input_field_the_world_does_not_model_is_refused_by_name(
    world: TrackerWorld,
) -> None:
    refused = await post(
        world,
        'mutation { issueUpdate(id: "WEB-123", input: {title: "New", estimate: 3}) { success } }',
    )
    assert refused.status_code == 200
    [error] = refused.json()["errors"]
    assert error["message"] == "Argument Validation Error"
    assert error["extensions"]["userPresentableMessage"] == (
        "the fake does not model IssueUpdateInput.estimate"
    )
    ticket = world.ticket(Provider.linear, "WEB-123")
    assert ticket is not None
    assert ticket.title == "Add Clerk auth"


async def test_a_missing_or_invisible_entity_is_entity_not_found(world: TrackerWorld) -> None:
    for key in ("WEB-999", "WEB-130"):
        response = await post(world, f'{{ issue(id: "{key}") {{ id }} }}')
        assert response.status_code == 200
        body = response.json()
        assert body["data"] is None
        [error] = body["errors"]
        assert (error["message"], error["path"]) == ("Entity not found: Issue", ["issue"])
        assert error["extensions"]["code"] == "INPUT_ERROR"
    referenced = await post(
        world,
        'mutation { issueUpdate(id: "WEB-123", input: {assigneeId: "lin-nobody"}) { success } }',
    )
    assert referenced.json()["errors"][0]["message"].startswith("Entity not found: User")


@pytest.mark.parametrize("token", [None, "lin-tok-unknown"])
async def test_without_a_known_credential_linear_answers_401(
    world: TrackerWorld, token: str | None
) -> None:
    response = await post(world, "{ viewer { id } }", token=token)
    assert response.status_code == 401
    [error] = response.json()["errors"]
    assert error["message"] == "Authentication required, not authenticated"
    assert error["extensions"]["code"] == "AUTHENTICATION_ERROR"
    assert error["extensions"]["type"] == "authentication error"


async def test_comment_create_is_attributed_to_the_caller_and_touches_the_issue(
    world: TrackerWorld,
) -> None:
    before = world.ticket(Provider.linear, "WEB-124")
    assert before is not None
    response = await post(
        world,
        'mutation { commentCreate(input: {issueId: "WEB-124", body: "On it"}) '
        "{ success comment { body user { id } issue { identifier } } } }",
        token="lin-tok-bob",
    )
    payload = response.json()["data"]["commentCreate"]
    assert payload["comment"] == {
        "body": "On it",
        "user": {"id": "lin-bob"},
        "issue": {"identifier": "WEB-124"},
    }
    after = world.ticket(Provider.linear, "WEB-124")
    assert after is not None
    assert after.updated_at > before.updated_at
    assert datetime.now(UTC) - after.updated_at < timedelta(minutes=1)


def test_the_answer_check_catches_a_drifted_answer() -> None:
    query = '{ issue(id: "WEB-1") { id priority team { key } } }'
    good = {"data": {"issue": {"id": "x", "priority": 0, "team": {"key": "WEB"}}}}
    assert answer_problems(query, None, good) == []
    dropped = {"data": {"issue": {"id": "x", "team": {"key": "WEB"}}}}
    retyped = {"data": {"issue": {"id": "x", "priority": "high", "team": {"key": "WEB"}}}}
    nulled = {"data": {"issue": {"id": "x", "priority": 0, "team": None}}}
    extra = {"data": {"issue": {"id": "x", "priority": 0, "team": {"key": "WEB", "name": "Web"}}}}
    for drifted in (dropped, retyped, nulled, extra):
        assert answer_problems(query, None, drifted) != []


async def test_a_relation_is_seen_from_both_issues(world: TrackerWorld) -> None:
    created = await post(
        world,
        "mutation($input: IssueRelationCreateInput!) { issueRelationCreate(input: $input) "
        "{ success issueRelation { type issue { identifier } relatedIssue { identifier } } } }",
        {"input": {"issueId": "WEB-121", "relatedIssueId": "WEB-122", "type": "blocks"}},
    )
    relation = created.json()["data"]["issueRelationCreate"]["issueRelation"]
    assert relation == {
        "type": "blocks",
        "issue": {"identifier": "WEB-121"},
        "relatedIssue": {"identifier": "WEB-122"},
    }
    query = """query($id: String!) { issue(id: $id) {
        relations { nodes { type relatedIssue { identifier } } }
        inverseRelations { nodes { type issue { identifier } } } } }"""
    blocking = (await post(world, query, {"id": "WEB-121"})).json()["data"]["issue"]
    blocked = (await post(world, query, {"id": "WEB-122"})).json()["data"]["issue"]
    assert blocking["relations"]["nodes"] == [
        {"type": "blocks", "relatedIssue": {"identifier": "WEB-122"}}
    ]
    assert blocked["inverseRelations"]["nodes"] == [
        {"type": "blocks", "issue": {"identifier": "WEB-121"}}
    ]
    hidden = await post(
        world,
        "mutation { issueRelationCreate(input: "
        '{issueId: "WEB-121", relatedIssueId: "WEB-130", type: related}) { success } }',
    )
    assert hidden.json()["errors"][0]["message"].startswith("Entity not found: Issue")


async def test_a_read_repeated_after_a_write_sees_the_write(world: TrackerWorld) -> None:
    read = '{ issue(id: "WEB-124") { title } }'
    assert (await post(world, read)).json()["data"]["issue"]["title"] != "Renamed"
    await post(
        world, 'mutation { issueUpdate(id: "WEB-124", input: {title: "Renamed"}) { success } }'
    )
    assert (await post(world, read)).json()["data"]["issue"]["title"] == "Renamed"
    world.edit_ticket(Provider.linear, "WEB-124", TicketChanges.of(title="Edited in the world"))
    assert (await post(world, read)).json()["data"]["issue"]["title"] == "Edited in the world"
