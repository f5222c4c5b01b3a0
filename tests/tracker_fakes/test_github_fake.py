"""The GitHub fake behaves as GitHub's REST API does (every answer here is also held to GitHub's
published description by the suite-wide check in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from kitty_mock_saas.tracker_fakes import TrackerWorld, create_github_fake
from kitty_mock_saas.tracker_fakes.observe import ObservedApp

pytestmark = pytest.mark.anyio

ISSUE = "/repos/acme/web/issues"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def world(default_world: TrackerWorld) -> TrackerWorld:
    return default_world


def client(world: TrackerWorld, token: str = "gh-tok-alice", base: str = "") -> httpx.AsyncClient:
    app = ObservedApp(create_github_fake(world), "github")
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=f"http://127.0.0.1:8765{base}",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json"},
    )


@pytest.fixture
async def github(world: TrackerWorld) -> AsyncIterator[httpx.AsyncClient]:
    async with client(world) as http:
        yield http


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


# -- PATCH changes only what it is sent -------------------------------------------------------


async def test_a_title_edit_keeps_a_closed_issue_closed_with_its_body_labels_and_assignee(
    github: httpx.AsyncClient,
) -> None:
    before = await ok(await github.get(f"{ISSUE}/5"))
    assert before["state"] == "closed"
    after = await ok(await github.patch(f"{ISSUE}/5", json={"title": "Upgrade httpx"}))
    assert after["title"] == "Upgrade httpx"
    for kept in ("state", "state_reason", "body", "labels", "assignees", "closed_at"):
        assert after[kept] == before[kept], kept


async def test_state_reason_without_state_changes_nothing(github: httpx.AsyncClient) -> None:
    after = await ok(await github.patch(f"{ISSUE}/3", json={"state_reason": "not_planned"}))
    assert (after["state"], after["state_reason"]) == ("open", None)


async def test_close_as_not_planned_then_reopen(github: httpx.AsyncClient) -> None:
    closed = await ok(
        await github.patch(f"{ISSUE}/3", json={"state": "closed", "state_reason": "not_planned"})
    )
    assert (closed["state"], closed["state_reason"]) == ("closed", "not_planned")
    reopened = await ok(await github.patch(f"{ISSUE}/3", json={"state": "open"}))
    assert (reopened["state"], reopened["state_reason"]) == ("open", "reopened")


async def test_labels_and_assignees_are_replaced_and_unknown_people_refused(
    github: httpx.AsyncClient,
) -> None:
    edited = await ok(
        await github.patch(
            f"{ISSUE}/3", json={"labels": ["security", "brand-new"], "assignees": ["dan"]}
        )
    )
    assert [label["name"] for label in edited["labels"]] == ["security", "brand-new"]
    assert [user["login"] for user in edited["assignees"]] == ["dan"]
    refused = await github.patch(f"{ISSUE}/3", json={"assignees": ["nobody-here"]})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "assignees"
    cleared = await ok(await github.patch(f"{ISSUE}/3", json={"assignees": [], "body": None}))
    assert (cleared["assignee"], cleared["assignees"], cleared["body"]) == (None, [], None)


async def test_assignees_are_added_and_removed(github: httpx.AsyncClient) -> None:
    added = await ok(await github.post(f"{ISSUE}/4/assignees", json={"assignees": ["carol"]}), 201)
    assert [user["login"] for user in added["assignees"]] == ["carol"]
    removed = await ok(
        await github.request("DELETE", f"{ISSUE}/4/assignees", json={"assignees": ["carol"]})
    )
    assert removed["assignees"] == []


async def test_bad_edits_answer_github_errors(github: httpx.AsyncClient) -> None:
    bad_state = await github.patch(f"{ISSUE}/3", json={"state": "done"})
    assert bad_state.status_code == 422
    assert bad_state.json()["message"] == "Validation Failed"
    unparsable = await github.patch(
        f"{ISSUE}/3", content=b"{", headers={"content-type": "application/json"}
    )
    assert (unparsable.status_code, unparsable.json()["message"]) == (400, "Problems parsing JSON")


# -- the repository issue list ----------------------------------------------------------------


async def test_the_list_defaults_to_open_issues_and_pull_requests_newest_first(
    github: httpx.AsyncClient,
) -> None:
    issues = await ok(await github.get(ISSUE))
    assert [i["number"] for i in issues] == [10, 7, 6, 3]
    assert [i["number"] for i in issues if "pull_request" in i] == [7]
    closed = await ok(await github.get(ISSUE, params={"state": "closed"}))
    assert {i["state"] for i in closed} == {"closed"}


async def test_the_list_filters_sorts_and_pages_with_link_headers(
    github: httpx.AsyncClient,
) -> None:
    labelled = await ok(
        await github.get(ISSUE, params={"state": "all", "labels": "bug,good first issue"})
    )
    assert [i["number"] for i in labelled] == [6]
    oldest = await ok(await github.get(ISSUE, params={"state": "all", "direction": "asc"}))
    assert [i["number"] for i in oldest][:2] == [3, 4]
    first = await github.get(ISSUE, params={"state": "all", "per_page": 2})
    assert [i["number"] for i in first.json()] == [10, 7]
    assert 'rel="next"' in first.headers["link"]
    assert 'rel="last"' in first.headers["link"]
    last_url = first.headers["link"].split(", ")[1].split(";")[0].strip("<>")
    last = await github.get(last_url)
    assert 'rel="prev"' in last.headers["link"]
    assert 'rel="next"' not in last.headers["link"]
    assert (await github.get(ISSUE, params={"state": "any"})).status_code == 422


async def test_since_keeps_issues_updated_from_then(
    github: httpx.AsyncClient,
) -> None:
    await ok(await github.patch(f"{ISSUE}/4", json={"title": "Dark mode toggle"}))
    edited = await ok(await github.get(f"{ISSUE}/4"))
    recent = await ok(
        await github.get(ISSUE, params={"state": "all", "since": edited["updated_at"]})
    )
    assert [i["number"] for i in recent] == [4]


# -- create, comments, labels, events -----------------------------------------------------------


async def test_create_answers_201_with_a_location_and_the_issue_is_listed(
    github: httpx.AsyncClient,
) -> None:
    response = await github.post(
        ISSUE, json={"title": "New bug", "body": "Steps", "labels": ["bug"]}
    )
    created = await ok(response, 201)
    assert response.headers["location"] == created["url"]
    assert (created["number"], created["state"], created["user"]["login"]) == (12, "open", "alice")
    assert created["number"] in [i["number"] for i in await ok(await github.get(ISSUE))]
    missing = await github.post(ISSUE, json={"body": "no title"})
    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {"resource": "Issue", "field": "title", "code": "missing_field"}
    ]


async def test_comments_are_listed_created_and_counted(github: httpx.AsyncClient) -> None:
    before = await ok(await github.get(f"{ISSUE}/3/comments"))
    added = await ok(
        await github.post(f"{ISSUE}/3/comments", json={"body": "Seen on 18.1 too"}), 201
    )
    assert added["user"]["login"] == "alice"
    after = await ok(await github.get(f"{ISSUE}/3/comments"))
    assert [c["id"] for c in after] == [*[c["id"] for c in before], added["id"]]
    assert (await ok(await github.get(f"{ISSUE}/3")))["comments"] == len(after)
    assert (await ok(await github.get(f"/repos/acme/web/issues/comments/{added['id']}")))[
        "body"
    ] == ("Seen on 18.1 too")
    assert (await github.post(f"{ISSUE}/3/comments", json={})).status_code == 422


async def test_issue_labels_add_replace_and_remove(github: httpx.AsyncClient) -> None:
    added = await ok(await github.post(f"{ISSUE}/10/labels", json={"labels": ["help wanted"]}))
    assert [label["name"] for label in added] == ["documentation", "help wanted"]
    replaced = await ok(await github.put(f"{ISSUE}/10/labels", json=["needs-triage"]))
    assert [label["name"] for label in replaced] == ["needs-triage"]
    catalogue = await ok(await github.get("/repos/acme/web/labels", params={"per_page": 100}))
    assert "needs-triage" in [label["name"] for label in catalogue]
    assert await ok(await github.delete(f"{ISSUE}/10/labels/needs-triage")) == []
    gone = await github.delete(f"{ISSUE}/10/labels/needs-triage")
    assert (gone.status_code, gone.json()["message"]) == (404, "Label does not exist")


async def test_writes_show_as_issue_events(github: httpx.AsyncClient) -> None:
    await ok(await github.patch(f"{ISSUE}/10", json={"title": "Document SSO", "state": "closed"}))
    events = await ok(await github.get(f"{ISSUE}/10/events"))
    kinds = [e["event"] for e in events]
    assert kinds[-2:] == ["closed", "renamed"] or kinds[-2:] == ["renamed", "closed"]
    renamed = next(e for e in events if e["event"] == "renamed")
    assert renamed["rename"] == {"from": "Document the SSO setup", "to": "Document SSO"}
    newest = (await ok(await github.get("/repos/acme/web/issues/events")))[0]
    assert newest["issue"]["number"] == 10


# -- search, identity, errors -------------------------------------------------------------------


async def test_search_qualifiers(github: httpx.AsyncClient) -> None:
    async def numbers(q: str) -> list[int]:
        found = await ok(await github.get("/search/issues", params={"q": q}))
        return sorted(i["number"] for i in found["items"])

    assert await numbers("repo:acme/web is:issue is:open") == [3, 6, 10]
    assert await numbers("repo:acme/web is:issue label:bug") == [3, 6]
    assert await numbers("repo:acme/web is:pr") == [7]
    assert await numbers("repo:acme/web is:issue Safari") == [3]
    assert await numbers("repo:acme/web is:issue assignee:carol") == [6]
    refused = await github.get("/search/issues", params={"q": "repo:acme/web Safari"})
    assert refused.status_code == 422


async def test_identity_and_credentials(world: TrackerWorld) -> None:
    async with client(world) as alice:
        me = await ok(await alice.get("/user"))
        assert (me["login"], me["name"], me["user_view_type"]) == (
            "alice",
            "Alice Adams",
            "private",
        )
        assert [o["login"] for o in await ok(await alice.get("/user/orgs"))] == ["acme"]
        repos = await ok(await alice.get("/orgs/acme/repos"))
        assert [r["full_name"] for r in repos] == ["acme/platform", "acme/web"]
    async with client(world, token="gh-install-acme") as app:
        refused = await app.get("/user")
        assert (refused.status_code, refused.json()["message"]) == (
            403,
            "Resource not accessible by integration",
        )
    async with client(world, token="not-a-token") as stranger:
        refused = await stranger.get("/repos/acme/web")
        assert (refused.status_code, refused.json()["message"]) == (401, "Bad credentials")


async def test_unknown_routes_and_methods_answer_github_404(github: httpx.AsyncClient) -> None:
    for response in (await github.get("/nope"), await github.delete(f"{ISSUE}/3")):
        assert response.status_code == 404
        assert response.json() == {
            "message": "Not Found",
            "documentation_url": "https://docs.github.com/rest",
            "status": "404",
        }


async def test_the_enterprise_form_serves_the_same_api_and_links_back_to_it(
    world: TrackerWorld,
) -> None:
    async with client(world, base="/api/v3") as enterprise:
        issue = await ok(await enterprise.get(f"{ISSUE}/3"))
        assert issue["url"] == "http://127.0.0.1:8765/api/v3/repos/acme/web/issues/3"
        moved = await enterprise.get(f"{ISSUE}/8")
        assert moved.status_code == 301
        assert moved.headers["location"] == "http://127.0.0.1:8765/api/v3/repositories/502/issues/2"
        followed = await ok(await enterprise.get(moved.headers["location"]))
        assert followed["repository_url"].endswith("/api/v3/repos/acme/platform")
