"""The fake Jira's JQL: parsing, Jira's error sentences, and evaluation over issues."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kitty_mock_saas.tracker_fakes.jira.jql import (
    And,
    Clause,
    FunctionCall,
    Not,
    Or,
    Value,
    ValueList,
    parse_jql,
)
from kitty_mock_saas.tracker_fakes.jira.jql_search import JqlError, compile_query
from kitty_mock_saas.tracker_fakes.jira.jql_site import IssueRef, JqlIssue, JqlSite

NOW = datetime(2026, 3, 18, 15, 30, tzinfo=UTC)  # a Wednesday


def _issue(key: str, **values: object) -> JqlIssue:
    project, number = key.split("-")
    fields: dict[str, object] = {
        "id": str(10000 + int(number) + (500 if project == "OPS" else 0)),
        "key": key,
        "number": int(number),
        "project_id": "10042" if project == "IAM" else "10043",
        "project_key": project,
        "summary": f"Issue {key}",
        "description": "",
        "comments": (),
        "status": "To Do",
        "category_key": "new",
        "resolution": None,
        "issuetype": "Task",
        "priority": "Medium",
        "assignee": None,
        "reporter": "acc-alice",
        "labels": (),
        "created": NOW - timedelta(days=30),
        "updated": NOW - timedelta(days=30),
    }
    fields.update(values)
    return JqlIssue(**fields)  # type: ignore[arg-type]


ISSUES = [
    _issue(
        "IAM-1",
        summary="Login fails with SSO",
        status="Done",
        category_key="done",
        resolution="Done",
        labels=("auth", "sso"),
        assignee="acc-alice",
        updated=NOW - timedelta(days=2),
    ),
    _issue(
        "IAM-2",
        summary="Backup failure at night",
        description="The nightly backup fails",
        status="In Progress",
        category_key="indeterminate",
        assignee="acc-carol",
        priority="High",
        updated=NOW - timedelta(hours=3),
    ),
    _issue(
        "IAM-3",
        summary="Rotate keys",
        comments=("remember the failover runbook",),
        priority="Lowest",
        created=NOW - timedelta(days=1),
        updated=NOW - timedelta(hours=1),
    ),
    _issue("OPS-7", summary="Backup window", labels=("ops",), priority=None),
]


def _site(**overrides: object) -> JqlSite:
    by_key = {i.key: i for i in ISSUES}
    by_id = {i.id: i for i in ISSUES}

    def find_issue(value: str) -> IssueRef | None:
        issue = by_id.get(value) or by_key.get(value.upper())
        return None if issue is None else IssueRef(issue.id, issue.project_id, issue.number)

    accounts = {
        "acc-alice": "acc-alice",
        "alice@example.com": "acc-alice",
        "acc-carol": "acc-carol",
    }
    settings: dict[str, object] = {
        "now": NOW,
        "current_user": "acc-alice",
        "projects": [("10042", "IAM", "Identity"), ("10043", "OPS", "Operations")],
        "statuses": [("10000", "To Do"), ("3", "In Progress"), ("10002", "Done")],
        "find_issue": find_issue,
        "find_account": lambda v: accounts.get(v.lower()),
        "priorities": [
            ("1", "Highest"),
            ("2", "High"),
            ("3", "Medium"),
            ("4", "Low"),
            ("5", "Lowest"),
        ],
    }
    settings.update(overrides)
    return JqlSite(**settings)  # type: ignore[arg-type]


def keys(jql: str) -> list[str]:
    return [issue.key for issue in compile_query(jql, _site()).run(ISSUES)]


def refusal(jql: str) -> list[str]:
    with pytest.raises(JqlError) as caught:
        compile_query(jql, _site())
    return caught.value.messages


# -- parsing -------------------------------------------------------------------------------------


def test_and_binds_tighter_than_or_and_parentheses_regroup() -> None:
    flat = parse_jql("f = 1 OR g = 2 AND h = 3").where
    assert isinstance(flat, Or)
    assert isinstance(flat.items[1], And)
    grouped = parse_jql("(f = 1 OR g = 2) AND h = 3").where
    assert isinstance(grouped, And)
    assert isinstance(grouped.items[0], Or)


def test_operands_values_lists_functions_and_negation() -> None:
    query = parse_jql('NOT status in ("To Do", Done) && assignee = currentUser() order by key')
    assert isinstance(query.where, And)
    negated, user = query.where.items
    assert isinstance(negated, Not)
    assert isinstance(negated.item, Clause)
    assert negated.item.operand == ValueList((Value("To Do", quoted=True), Value("Done")))
    assert isinstance(user, Clause)
    assert user.operand == FunctionCall("currentUser")
    assert [k.field for k in query.order_by] == ["key"]


@pytest.mark.parametrize(
    ("jql", "message"),
    [
        ("project IAM", "Expecting operator but got 'IAM'."),
        ("project = ", "Expecting either a value, list or function before the end of the query."),
        (
            "status = Done foo",
            "Expecting either 'OR' or 'AND' but got 'foo'. (line 1, character 15)",
        ),
        (
            'summary ~ "abc',
            "The quoted string 'abc' has not been completed. (line 1, character 11)",
        ),
        ("(project = IAM", "Expecting ')' before the end of the query."),
        ("status = end", "'end' is a reserved JQL word."),
        ("assignee = a@b", "The character '@' is a reserved JQL character."),
        ('text ~ "a\\-b"', "'\\-' is an illegal JQL escape sequence."),
        ("project = IAM order updated", "Expecting 'by' but got 'updated'."),
    ],
)
def test_syntax_errors_use_jiras_sentences(jql: str, message: str) -> None:
    (found,) = refusal(jql)
    assert found.startswith("Error in the JQL Query: ")
    assert message in found


# -- bounded and unknown names -------------------------------------------------------------------


@pytest.mark.parametrize("jql", ["", "order by key desc", "ORDER BY updated"])
def test_a_query_without_a_restriction_is_unbounded(jql: str) -> None:
    assert not compile_query(jql, _site()).bounded


@pytest.mark.parametrize(
    "jql", ['key = "IAM-2"', "assignee = currentUser() order by key", "updated >= -7d"]
)
def test_any_restriction_bounds_a_query(jql: str) -> None:
    assert compile_query(jql, _site()).bounded


def test_unknown_fields_values_and_keys_are_all_reported_in_jiras_words() -> None:
    assert refusal('foo = 1 AND project = NOPE AND key = "IAM-99" AND status = Blocked') == [
        "Field 'foo' does not exist or you do not have permission to view it.",
        "The value 'NOPE' does not exist for the field 'project'.",
        "An issue with key 'IAM-99' does not exist for field 'key'.",
        "The value 'Blocked' does not exist for the field 'status'.",
    ]
    assert refusal("key = banana") == ["The issue key 'banana' for field 'key' is invalid."]
    assert refusal("project ~ IAM") == ["The operator '~' is not supported by the 'project' field."]
    assert refusal("summary = x") == ["The operator '=' is not supported by the 'summary' field."]
    assert refusal('text ~ ""') == [
        "The field 'text' does not support searching for an empty string."
    ]
    assert refusal("updated > yesterday")[0].startswith(
        "Date value 'yesterday' for field 'updated' is invalid."
    )
    assert refusal("project = IAM ORDER BY text") == ["Field 'text' does not support sorting."]
    assert refusal("assignee = nobody") == [
        "The value 'nobody' does not exist for the field 'assignee'."
    ]
    assert refusal("project = IAM AND created < bogus()") == [
        "Unable to find JQL function 'bogus()'."
    ]


# -- evaluation ----------------------------------------------------------------------------------


def test_project_key_id_and_name_select_the_same_project() -> None:
    assert keys("project = IAM ORDER BY key") == ["IAM-1", "IAM-2", "IAM-3"]
    assert keys("project = 10043") == ["OPS-7"]
    assert keys('project in (Identity, "ops") ORDER BY key ASC') == [
        "IAM-1",
        "IAM-2",
        "IAM-3",
        "OPS-7",
    ]


def test_key_aliases_and_ranges_stay_inside_the_project() -> None:
    assert keys("key = iam-2") == keys("issuekey = 10002") == keys("id = IAM-2") == ["IAM-2"]
    assert keys("key in (IAM-1, OPS-7) ORDER BY key") == ["IAM-1", "OPS-7"]
    assert keys("key > IAM-1 ORDER BY key") == ["IAM-2", "IAM-3"]
    assert keys("project = IAM AND key != IAM-2 ORDER BY key") == ["IAM-1", "IAM-3"]


def test_boolean_logic_and_negation() -> None:
    assert keys("project = IAM AND (status = Done OR priority = High) ORDER BY key") == [
        "IAM-1",
        "IAM-2",
    ]
    assert keys("project = IAM AND NOT status = Done ORDER BY key") == ["IAM-2", "IAM-3"]
    assert keys("project = IAM AND status not in (Done, 'In Progress')") == ["IAM-3"]


def test_status_category_by_name_key_or_id() -> None:
    assert keys('statusCategory = "In Progress"') == ["IAM-2"]
    assert keys("statusCategory in (done, 2) ORDER BY key") == ["IAM-1", "IAM-3", "OPS-7"]


def test_users_current_user_and_empties() -> None:
    assert keys("assignee = currentUser()") == ["IAM-1"]
    assert keys('assignee = "alice@example.com"') == ["IAM-1"]
    # `!=` leaves out issues with no assignee, as Jira does.
    assert keys("assignee != currentUser()") == ["IAM-2"]
    assert keys("project = IAM AND assignee is EMPTY") == ["IAM-3"]
    assert keys("assignee is not empty ORDER BY key") == ["IAM-1", "IAM-2"]
    assert keys("reporter = acc-alice AND project = OPS") == ["OPS-7"]


def test_labels_priority_and_resolution() -> None:
    assert keys("labels = SSO") == ["IAM-1"]
    assert keys("labels in (ops, auth) ORDER BY key") == ["IAM-1", "OPS-7"]
    assert keys("project = IAM AND labels is EMPTY ORDER BY key") == ["IAM-2", "IAM-3"]
    assert keys("priority >= High") == ["IAM-2"]
    assert keys("project = IAM ORDER BY priority") == ["IAM-2", "IAM-1", "IAM-3"]
    assert keys("project = IAM AND resolution = Unresolved ORDER BY key") == ["IAM-2", "IAM-3"]
    assert keys("resolution = Done") == ["IAM-1"]


def test_text_search_is_word_and_stem_based_with_phrases_and_prefixes() -> None:
    assert keys('summary ~ "backup" ORDER BY key') == ["IAM-2", "OPS-7"]
    assert keys('text ~ "fails" ORDER BY key') == ["IAM-1", "IAM-2"]  # stems: fail(s/ure)?
    assert keys('text ~ "failover"') == ["IAM-3"]  # comments count for text
    assert keys('summary ~ "\\"backup failure\\""') == ["IAM-2"]
    assert keys('summary ~ "\\"failure backup\\""') == []
    assert keys('summary ~ "rot*"') == ["IAM-3"]
    assert keys("project = IAM AND summary !~ backup ORDER BY key") == ["IAM-1", "IAM-3"]


def test_dates_absolute_relative_and_functions() -> None:
    assert keys("updated >= -1d ORDER BY key") == ["IAM-2", "IAM-3"]
    assert keys('updated >= "-2h"') == ["IAM-3"]
    assert keys('updated > "2026-03-16 15:00" ORDER BY key') == ["IAM-1", "IAM-2", "IAM-3"]
    assert keys("updated < 2026/03/01 ORDER BY key") == ["OPS-7"]
    assert keys("created >= startOfDay(-1) ORDER BY key") == ["IAM-3"]
    assert keys("updated >= startOfWeek() ORDER BY key") == ["IAM-1", "IAM-2", "IAM-3"]
    assert keys("updated <= now() AND updated >= endOfMonth()") == []
    assert keys("updated > endOfMonth(-1) ORDER BY key") == ["IAM-1", "IAM-2", "IAM-3"]
    assert keys("updated < startOfMonth() AND updated > startOfYear()") == ["OPS-7"]
    assert keys(f"updated >= {int((NOW - timedelta(hours=2)).timestamp() * 1000)}") == ["IAM-3"]


def test_order_by_directions_defaults_and_the_seven_field_limit() -> None:
    assert keys("project = IAM ORDER BY updated") == ["IAM-3", "IAM-2", "IAM-1"]  # newest first
    assert keys("project = IAM ORDER BY updated ASC") == ["IAM-1", "IAM-2", "IAM-3"]
    assert keys("project = IAM ORDER BY status DESC, key ASC") == ["IAM-3", "IAM-2", "IAM-1"]
    assert keys("project = IAM") == ["IAM-3", "IAM-2", "IAM-1"]  # by key, newest first
    assert refusal("project = IAM ORDER BY " + ", ".join(["key"] * 8)) == [
        "The ORDER BY clause can contain a maximum of 7 fields."
    ]


def test_the_plan_names_what_every_hit_must_have() -> None:
    plan = compile_query('project = IAM AND text ~ "backup" AND key in (IAM-2, IAM-3)', _site())
    assert plan.project_ids == frozenset({"10042"})
    assert plan.issue_ids == frozenset({"10002", "10003"})
    assert plan.text is not None
    assert plan.text[0] == "text"
    loose = compile_query("project = IAM OR summary ~ backup", _site())
    assert loose.project_ids is None
    assert loose.text is None


_PIECES = [
    "project", "=", "IAM", "AND", "OR", "NOT", "(", ")", "key", "in", "IS", "EMPTY", "text", "~",
    '"a b"', "'x'", "ORDER", "BY", "updated", "DESC", ",", "-7d", "startOfDay(", "currentUser()",
    "!=", "<", ">=", "status", "Done", '"In Progress"', "labels", "priority", "High", "IAM-2",
    "10002", "!", "&&", "||", "\\", '"', "'", "@", "null", "created", "2026-01-01", "assignee",
    "statusCategory", "resolution", "parent", "*", "summary", "comment", "fn(", "x)", "!~",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=10))
@settings(max_examples=300, deadline=None)
def test_any_token_soup_is_answered_or_refused_in_jiras_words(pieces: list[str]) -> None:
    messages: list[str] = []
    try:
        compile_query(" ".join(pieces), _site()).run(ISSUES)
    except JqlError as refused:
        messages = refused.messages
        if not messages:
            raise
    assert all(isinstance(m, str) and m for m in messages)
