"""The `jira` package (PyPI, unchanged, its default REST v2) against the fake Jira over a
127.0.0.1 socket (the app `tracker-fake --provider jira` serves, in a thread here so the suite
holds every answer to Jira's published description): what a Jira integration does first."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from jira import JIRA, JIRAError
from kitty_contracts import Provider

from tests.tracker_fakes.socket_server import serve_fake

ALICE = ("alice@acme.example", "jira-tok-alice")
CAROL = ("carol@acme.example", "jira-tok-carol")


@pytest.fixture(scope="module")
def fake() -> Iterator[str]:
    with serve_fake(Provider.jira) as url:
        yield url


@pytest.fixture(scope="module")
def jira(fake: str) -> JIRA:
    return JIRA(server=fake, basic_auth=ALICE, max_retries=0, timeout=10)


def test_the_client_finds_a_jira_cloud_site(jira: JIRA, fake: str) -> None:
    info = jira.server_info()
    assert info["deploymentType"] == "Cloud"
    assert jira._is_cloud  # what switches the package to account ids and /search/jql
    assert info["versionNumbers"][0] >= 1000


def test_myself_is_the_credentials_account(jira: JIRA, fake: str) -> None:
    me = jira.myself()
    assert (me["accountId"], me["displayName"]) == ("acc-alice", "Alice Adams")
    carol = JIRA(server=fake, basic_auth=CAROL, max_retries=0).myself()
    assert carol["accountId"] == "acc-carol"
    with pytest.raises(JIRAError) as refused:
        JIRA(server=fake, basic_auth=("x", "no-such-token"), max_retries=0).myself()
    assert refused.value.status_code == 401


def test_projects_by_key_and_id_and_the_list(jira: JIRA) -> None:
    iam = jira.project("IAM")
    assert (iam.key, iam.id, iam.name) == ("IAM", "10042", "Identity and Access")
    assert jira.project("10042").key == "IAM"
    assert "Task" in [kind.name for kind in iam.issueTypes]
    assert {p.key for p in jira.projects()} == {"IAM", "OPS"}
    with pytest.raises(JIRAError) as missing:
        jira.project("NOPE")
    assert missing.value.status_code == 404


def test_fields_carry_their_jql_clause_names(jira: JIRA) -> None:
    by_id = {field["id"]: field for field in jira.fields()}
    assert {"summary", "status", "labels", "assignee"} <= set(by_id)
    assert "issuekey" in by_id["issuekey"]["clauseNames"]


def test_an_issue_by_key_and_by_id_with_a_plain_text_description(jira: JIRA) -> None:
    issue = jira.issue("IAM-42")
    assert issue.key == "IAM-42"
    assert jira.issue(issue.id).key == "IAM-42"
    assert issue.fields.project.key == "IAM"
    assert issue.fields.status.statusCategory.key in ("new", "indeterminate", "done")
    # REST v2: the description is text, not an ADF document.
    assert isinstance(issue.fields.description, str)
    assert issue.fields.labels == ["security", "sso"]
    assert issue.fields.assignee is not None
    assert issue.fields.assignee.accountId == "acc-alice"
    assert issue.fields.reporter.displayName == "Carol Chen"
    assert issue.fields.priority.name == "Highest"
    assert jira.issue("IAM-43").fields.assignee is None  # unset fields answer null
    with pytest.raises(JIRAError) as missing:
        jira.issue("IAM-9999")
    assert missing.value.status_code == 404


def test_jql_searches(jira: JIRA) -> None:
    listed = jira.search_issues("project = IAM ORDER BY key ASC", maxResults=False)
    keys = [issue.key for issue in listed]
    assert keys == sorted(keys, key=lambda key: int(key.split("-")[1]))
    assert "IAM-42" in keys
    assert {i.key for i in jira.search_issues('key = "IAM-42"')} == {"IAM-42"}
    found = jira.search_issues('project = IAM AND text ~ "signing keys"', fields="summary")
    assert [i.key for i in found][:1] == ["IAM-42"]
    since = jira.search_issues('project = IAM AND updated >= "2026-01-01 00:00"', maxResults=False)
    assert {i.key for i in since} == set(keys)
    statuses = jira.search_issues("project in (IAM, OPS) AND statusCategory != Done")
    assert all(i.fields.status.statusCategory.key != "done" for i in statuses)


def test_a_restricted_issue_is_seen_only_by_its_readers(jira: JIRA, fake: str) -> None:
    carol = JIRA(server=fake, basic_auth=CAROL, max_retries=0)
    assert carol.issue("IAM-44").key == "IAM-44"
    assert "IAM-44" in [i.key for i in carol.search_issues("project = IAM", maxResults=False)]
    assert "IAM-44" not in [i.key for i in jira.search_issues("project = IAM", maxResults=False)]
    with pytest.raises(JIRAError) as hidden:
        jira.issue("IAM-44")
    assert hidden.value.status_code == 404


def test_search_by_post_and_as_raw_json(jira: JIRA) -> None:
    posted = jira.search_issues("project = OPS ORDER BY key", use_post=True, fields="summary")
    assert [i.key for i in posted] == ["OPS-214", "OPS-215"]
    raw = jira.search_issues("project = OPS ORDER BY key", json_result=True, fields="summary")
    assert [issue["key"] for issue in raw["issues"]] == ["OPS-214", "OPS-215"]
    assert raw["isLast"] is True
    assert "total" not in raw  # the enhanced search pages by token and counts nothing
    assert jira.approximate_issue_count("project = OPS") == 2


def test_search_pages_with_next_page_tokens(jira: JIRA) -> None:
    everything = [i.key for i in jira.search_issues("project = IAM ORDER BY key", maxResults=False)]
    first = jira.enhanced_search_issues("project = IAM ORDER BY key", maxResults=2)
    assert [i.key for i in first] == everything[:2]
    assert first.nextPageToken
    second = jira.enhanced_search_issues(
        "project = IAM ORDER BY key", maxResults=2, nextPageToken=first.nextPageToken
    )
    assert [i.key for i in second] == everything[2:4]


def test_jira_refuses_bad_jql_with_its_own_messages(jira: JIRA) -> None:
    cases = {
        "ORDER BY key": "Unbounded JQL queries are not allowed here.",
        'key = "IAM-9999"': "An issue with key 'IAM-9999' does not exist for field 'key'.",
        "nosuchfield = 1": "Field 'nosuchfield' does not exist",
        "project = IAM AND": "Error in the JQL Query:",
    }
    for jql, message in cases.items():
        with pytest.raises(JIRAError) as refused:
            jira.search_issues(jql)
        assert refused.value.status_code == 400
        assert message in str(refused.value.text)


def test_transitions_move_the_issue(jira: JIRA) -> None:
    names = {t["name"]: t["id"] for t in jira.transitions("OPS-215")}
    assert {"To Do", "In Progress", "Done"} <= set(names)
    jira.transition_issue("OPS-215", "In Progress")
    assert jira.issue("OPS-215").fields.status.name == "In Progress"
    jira.transition_issue("OPS-215", names["Done"])
    moved = jira.issue("OPS-215")
    assert moved.fields.status.statusCategory.key == "done"
    assert moved.fields.resolution is not None
    assert moved.fields.resolution.name == "Done"


def test_a_title_edit_keeps_the_state(jira: JIRA) -> None:
    issue = jira.issue("IAM-42")
    before = issue.fields.status.name
    issue.update(summary="Rotate the signing keys quarterly")
    again = jira.issue("IAM-42")
    assert again.fields.summary == "Rotate the signing keys quarterly"
    assert again.fields.status.name == before
    assert again.fields.description == issue.fields.description
    found = jira.search_issues('project = IAM AND summary ~ "quarterly"')
    assert [i.key for i in found] == ["IAM-42"]
    with pytest.raises(JIRAError) as refused:
        again.update(fields={"nosuchfield": "x"})
    assert refused.value.status_code == 400
    assert "cannot be set" in str(refused.value.text)


def test_jql_over_people_labels_and_priorities(jira: JIRA) -> None:
    mine = {i.key for i in jira.search_issues("assignee = currentUser()", maxResults=False)}
    assert {"IAM-42", "IAM-35", "IAM-40"} <= mine
    assert "IAM-43" not in mine
    unassigned = jira.search_issues("project = IAM AND assignee IS EMPTY", maxResults=False)
    assert all(i.fields.assignee is None for i in unassigned)
    assert {"IAM-43", "IAM-41"} <= {i.key for i in unassigned}
    sso = jira.search_issues("labels = sso ORDER BY key", maxResults=False)
    assert [i.key for i in sso] == ["IAM-40", "IAM-42"]
    urgent = jira.search_issues("project in (IAM, OPS) AND priority = Highest", maxResults=False)
    assert {i.key for i in urgent} == {"IAM-42", "OPS-214"}  # IAM-44 is carol's only
    by_reporter = jira.search_issues('reporter = "carol@globex.example"', maxResults=False)
    assert all(i.fields.reporter.accountId == "acc-carol" for i in by_reporter)


def test_comments_are_listed_and_added(jira: JIRA) -> None:
    before = jira.comments("OPS-214")
    added = jira.add_comment("OPS-214", "Disk is fine now.")
    assert added.body == "Disk is fine now."
    assert added.author.accountId == "acc-alice"
    after = jira.comments("OPS-214")
    assert [c.id for c in after] == [c.id for c in before] + [added.id]
    assert jira.comment("OPS-214", added.id).body == "Disk is fine now."
    found = jira.search_issues('project = OPS AND comment ~ "disk"', maxResults=False)
    assert "OPS-214" in {i.key for i in found}


def test_field_edits_apply_and_leave_the_rest(jira: JIRA) -> None:
    issue = jira.issue("IAM-46")
    issue.update(
        fields={"labels": ["docs", "partners"], "priority": {"name": "Low"}},
        update={"comment": [{"add": {"body": "Labelled for the partner guide."}}]},
    )
    again = jira.issue("IAM-46")
    assert again.fields.labels == ["docs", "partners"]
    assert again.fields.priority.name == "Low"
    assert again.fields.summary == issue.fields.summary
    assert again.fields.status.name == issue.fields.status.name
    assert again.fields.comment.comments[-1].body == "Labelled for the partner guide."
    jira.assign_issue("IAM-46", "acc-alice")
    assignee = jira.issue("IAM-46").fields.assignee
    assert assignee is not None
    assert assignee.accountId == "acc-alice"
    again.update(update={"labels": [{"remove": "partners"}]})
    assert jira.issue("IAM-46").fields.labels == ["docs"]
    with pytest.raises(JIRAError) as refused:
        again.update(fields={"priority": {"name": "Blocker"}})
    assert refused.value.status_code == 400


def test_create_answers_id_key_and_self_and_the_issue_is_there(jira: JIRA) -> None:
    created = jira.create_issue(
        project="OPS",
        summary="Check the backup restore drill",
        description="Run it on staging first.",
        issuetype={"name": "Task"},
        labels=["backup"],
        priority={"name": "High"},
    )
    assert created.key.startswith("OPS-")
    assert created.fields.summary == "Check the backup restore drill"
    assert created.fields.description == "Run it on staging first."
    assert created.fields.reporter.accountId == "acc-alice"
    assert created.fields.status.statusCategory.key == "new"
    assert created.fields.priority.name == "High"
    found = jira.search_issues('project = OPS AND summary ~ "restore drill"')
    assert [i.key for i in found] == [created.key]
    with pytest.raises(JIRAError) as refused:
        jira.create_issue(project="OPS", issuetype={"name": "Task"})
    assert refused.value.status_code == 400
    assert "summary" in str(refused.value.text)
