"""PyGithub, unchanged, against the GitHub fake on a socket (GitHub Enterprise base URL form):
identity, repositories, issues (get, list, search, comment, edit, close, create) and labels.
Every answer is also held to GitHub's published description by the suite-wide check."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from github import Auth, Github, GithubException
from kitty_contracts import Provider

from tests.tracker_fakes.socket_server import serve_fake


@pytest.fixture
def gh() -> Iterator[Github]:
    with serve_fake(Provider.github) as url:
        # No client-side pacing (PyGithub waits 0.25 s between requests, 1 s between writes,
        # by default) and no retries: the fake answers at once, and a failure should show.
        client = Github(
            base_url=f"{url}/api/v3",
            auth=Auth.Token("gh-tok-alice"),
            retry=None,
            seconds_between_requests=None,
            seconds_between_writes=None,
        )
        yield client
        client.close()


def test_the_user_their_orgs_and_repositories(gh: Github) -> None:
    me = gh.get_user()
    assert (me.login, me.name, me.email) == ("alice", "Alice Adams", "alice@acme.example")
    assert [org.login for org in me.get_orgs()] == ["acme"]
    assert [r.full_name for r in me.get_repos()] == ["acme/platform", "acme/web"]
    assert [r.full_name for r in gh.get_organization("acme").get_repos()] == [
        "acme/platform",
        "acme/web",
    ]
    assert gh.get_user("carol").login == "carol"
    assert gh.get_rate_limit().resources.core.remaining > 0


def test_a_repository_and_an_issue(gh: Github) -> None:
    repo = gh.get_repo("acme/web")
    assert (repo.full_name, repo.id, repo.default_branch) == ("acme/web", 501, "main")
    issue = repo.get_issue(3)
    assert (issue.title, issue.state) == ("Login page flickers on Safari", "open")
    assert [label.name for label in issue.labels] == ["bug"]
    assert [user.login for user in issue.assignees] == ["alice"]
    assert issue.user.login == "carol"
    assert issue.pull_request is None
    assert repo.get_issue(7).pull_request is not None
    with pytest.raises(GithubException) as missing:
        repo.get_issue(999)
    assert missing.value.status == 404


def test_listing_pages_through_link_headers(gh: Github) -> None:
    gh.per_page = 2
    repo = gh.get_repo("acme/web")
    # totalCount first: PyGithub asks it with the parameters of the next page, which are
    # empty once the list has been walked (so it would count open issues only).
    assert repo.get_issues(state="all").totalCount == 6
    assert [i.number for i in repo.get_issues(state="all")] == [10, 7, 6, 5, 4, 3]
    assert [i.number for i in repo.get_issues(state="closed")] == [5, 4]
    labels = [repo.get_label("bug")]
    assert [i.number for i in repo.get_issues(labels=labels)] == [6, 3]


def test_search(gh: Github) -> None:
    found = gh.search_issues("Safari", repo="acme/web", type="issue")
    assert [i.number for i in found] == [3]
    assert found.totalCount == 1
    assert [i.number for i in gh.search_issues("", repo="acme/web", type="pr")] == [7]


def test_comment_and_read_back(gh: Github) -> None:
    issue = gh.get_repo("acme/web").get_issue(3)
    before = issue.get_comments().totalCount
    comment = issue.create_comment("Reproduced on Safari 18.1")
    assert (comment.body, comment.user.login) == ("Reproduced on Safari 18.1", "alice")
    bodies = [c.body for c in issue.get_comments()]
    assert len(bodies) == before + 1
    assert bodies[-1] == "Reproduced on Safari 18.1"
    comment.edit("Reproduced on Safari 18.1 and 18.2")
    assert gh.get_repo("acme/web").get_issue(3).get_comment(comment.id).body.endswith("18.2")


def test_a_title_edit_keeps_the_state_and_close_reopen(gh: Github) -> None:
    repo = gh.get_repo("acme/web")
    closed = repo.get_issue(5)
    closed.edit(title="Upgrade httpx to 0.28.1")
    again = repo.get_issue(5)
    assert (again.title, again.state, again.state_reason) == (
        "Upgrade httpx to 0.28.1",
        "closed",
        "completed",
    )
    assert [label.name for label in again.labels] == ["dependencies"]
    issue = repo.get_issue(10)
    issue.edit(state="closed", state_reason="not_planned")
    assert (repo.get_issue(10).state, repo.get_issue(10).state_reason) == ("closed", "not_planned")
    issue.edit(state="open")
    assert repo.get_issue(10).state == "open"
    assert [e.event for e in issue.get_events()][-2:] == ["closed", "reopened"]


def test_create_an_issue(gh: Github) -> None:
    repo = gh.get_repo("acme/web")
    created = repo.create_issue(
        title="Crash on logout", body="Steps to reproduce", labels=["bug"], assignees=["carol"]
    )
    assert (created.number, created.state, created.user.login) == (12, "open", "alice")
    assert [label.name for label in created.labels] == ["bug"]
    assert [user.login for user in created.assignees] == ["carol"]
    assert repo.get_issue(12).body == "Steps to reproduce"
    with pytest.raises(GithubException) as refused:
        repo.create_issue(title="")
    assert refused.value.status == 422


def test_labels(gh: Github) -> None:
    repo = gh.get_repo("acme/web")
    assert "bug" in [label.name for label in repo.get_labels()]
    created = repo.create_label("needs-triage", "ededed", "Not looked at yet")
    assert (created.name, created.color, created.description) == (
        "needs-triage",
        "ededed",
        "Not looked at yet",
    )
    issue = repo.get_issue(10)
    issue.add_to_labels("needs-triage", "help wanted")
    assert [label.name for label in issue.get_labels()] == [
        "documentation",
        "needs-triage",
        "help wanted",
    ]
    issue.remove_from_labels("documentation")
    issue.set_labels("security")
    assert [label.name for label in repo.get_issue(10).labels] == ["security"]
    newest_labeled = next(e for e in repo.get_issues_events() if e.event == "labeled")
    assert newest_labeled.label.name == "security"
