"""What every project of the fake Jira site shares: statuses and their categories, the workflow,
resolutions, issue types, priorities and the system fields (`GET /field`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from kitty_contracts import StatusCategory

__all__ = [
    "CATEGORY_OF",
    "FIELDS",
    "FIELD_NAMES",
    "ISSUE_TYPES",
    "LINK_TYPES",
    "PRIORITIES",
    "RESOLUTIONS",
    "STATUSES",
    "WORKFLOW",
    "IssueType",
    "status_id",
]


@dataclass(frozen=True, slots=True)
class Category:
    """A Jira status category: id, key, colour and English name."""

    id: int
    key: str
    color: str
    name: str


NEW = Category(2, "new", "blue-gray", "To Do")
INDETERMINATE = Category(4, "indeterminate", "yellow", "In Progress")
DONE = Category(3, "done", "green", "Done")
CATEGORY_OF = {
    StatusCategory.todo: NEW,
    StatusCategory.in_progress: INDETERMINATE,
    StatusCategory.done: DONE,
    StatusCategory.canceled: DONE,
}
# German sites localize status and category names, never the category key.
GERMAN_STATUSES = {"In Arbeit", "Zu erledigen", "Erledigt"}
GERMAN_CATEGORY_NAMES = {"new": "Zu erledigen", "indeterminate": "In Arbeit", "done": "Fertig"}

# (id, name, category) of the statuses the site's workflows use.
STATUSES: tuple[tuple[str, str, StatusCategory], ...] = (
    ("10000", "To Do", StatusCategory.todo),
    ("3", "In Progress", StatusCategory.in_progress),
    ("10001", "In Review", StatusCategory.in_progress),
    ("10002", "Done", StatusCategory.done),
    ("10003", "Won't Do", StatusCategory.canceled),
    ("10004", "In Arbeit", StatusCategory.in_progress),
    ("10005", "Zu erledigen", StatusCategory.todo),
    ("10006", "Erledigt", StatusCategory.done),
)
_STATUS_IDS = {name: status for status, name, _ in STATUSES}

# The workflow every project uses: transition id, name (= target status) and category.
WORKFLOW: tuple[tuple[str, str, StatusCategory], ...] = (
    ("11", "To Do", StatusCategory.todo),
    ("21", "In Progress", StatusCategory.in_progress),
    ("31", "Done", StatusCategory.done),
    ("41", "Won't Do", StatusCategory.canceled),
    ("51", "In Review", StatusCategory.in_progress),
)

# The site's issue link types: (id, name, inward description, outward description).
LINK_TYPES: tuple[tuple[str, str, str, str], ...] = (
    ("10000", "Blocks", "is blocked by", "blocks"),
    ("10001", "Cloners", "is cloned by", "clones"),
    ("10002", "Duplicate", "is duplicated by", "duplicates"),
    ("10003", "Relates", "relates to", "relates to"),
)

# Resolution set when an issue reaches a done status: (id, name, description).
RESOLUTIONS = {
    StatusCategory.done: ("10000", "Done", "Work has been completed on this issue."),
    StatusCategory.canceled: ("10001", "Won't Do", "This issue won't be actioned."),
}

# Jira's five default priorities, most important first: (id, name, colour).
PRIORITIES: tuple[tuple[str, str, str], ...] = (
    ("1", "Highest", "#d04437"),
    ("2", "High", "#f15C75"),
    ("3", "Medium", "#f79232"),
    ("4", "Low", "#707070"),
    ("5", "Lowest", "#999999"),
)


@dataclass(frozen=True, slots=True)
class IssueType:
    id: str
    name: str
    description: str
    hierarchy_level: int = 0

    @property
    def subtask(self) -> bool:
        return self.hierarchy_level < 0


# The world does not keep issue types: every project has the one type every issue is.
ISSUE_TYPES = (IssueType("10001", "Task", "A small, distinct piece of work."),)
DEFAULT_ISSUE_TYPE = ISSUE_TYPES[0]


def status_id(name: str) -> str:
    """The id of status `name` (a stable made-up one for names outside the catalogue)."""
    known = _STATUS_IDS.get(name)
    if known is not None:
        return known
    return str(10100 + int(hashlib.sha256(name.encode()).hexdigest()[:4], 16) % 900)


# The system fields: (id, name, JQL clause names, schema type, schema items, orderable).
_FIELD_ROWS: tuple[tuple[str, str, tuple[str, ...], str, str | None, bool], ...] = (
    ("summary", "Summary", ("summary",), "string", None, True),
    ("description", "Description", ("description",), "string", None, True),
    ("status", "Status", ("status",), "status", None, False),
    ("statusCategory", "Status Category", ("statusCategory",), "statusCategory", None, False),
    ("project", "Project", ("project",), "project", None, False),
    ("issuetype", "Issue Type", ("issuetype", "type"), "issuetype", None, True),
    ("priority", "Priority", ("priority",), "priority", None, True),
    ("resolution", "Resolution", ("resolution",), "resolution", None, True),
    ("assignee", "Assignee", ("assignee",), "user", None, True),
    ("reporter", "Reporter", ("reporter",), "user", None, True),
    ("labels", "Labels", ("labels",), "array", "string", True),
    ("parent", "Parent", ("parent",), "issuelink", None, True),
    ("comment", "Comment", ("comment",), "comments-page", None, True),
    ("issuelinks", "Linked Issues", ("issuelinks",), "array", "issuelinks", False),
    ("created", "Created", ("created", "createdDate"), "datetime", None, False),
    ("updated", "Updated", ("updated", "updatedDate"), "datetime", None, False),
    ("issuekey", "Key", ("id", "issue", "issuekey", "key"), "", None, False),
)


def _field(row: tuple[str, str, tuple[str, ...], str, str | None, bool]) -> dict[str, object]:
    field_id, name, clauses, kind, items, orderable = row
    body: dict[str, object] = {
        "id": field_id,
        "key": field_id,
        "name": name,
        "custom": False,
        "orderable": orderable,
        "navigable": True,
        "searchable": True,
        "clauseNames": list(clauses),
    }
    if kind:
        schema: dict[str, object] = {"type": kind, "system": field_id}
        if items:
            schema["items"] = items
        body["schema"] = schema
    return body


FIELDS = tuple(_field(row) for row in _FIELD_ROWS)
# Fields an issue answers with, in Jira's order; `*navigable` and `*all` select all of them.
ISSUE_FIELDS = tuple(row[0] for row in _FIELD_ROWS if row[0] not in ("statusCategory", "issuekey"))
# Each field's display name, for `expand=names`.
FIELD_NAMES = {str(field["id"]): str(field["name"]) for field in FIELDS}
