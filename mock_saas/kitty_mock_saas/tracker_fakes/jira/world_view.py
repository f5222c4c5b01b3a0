"""The tracker world as the fake Jira site sees it: projects, accounts, the issues a user may
see, and the JQL view of an issue."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime

from kitty_contracts import Provider

from kitty_mock_saas.tracker_fakes.world.models import Account, Comment, Container, FakeTicket
from kitty_mock_saas.tracker_fakes.world.store import TrackerWorld

from .catalogue import CATEGORY_OF, ISSUE_TYPES, PRIORITIES, RESOLUTIONS, STATUSES
from .jql_site import IssueRef, JqlIssue, JqlSite

__all__ = ["JiraWorld", "priority_name", "priority_value"]

_JIRA = Provider.jira
_CLOUD_NAMESPACE = uuid.UUID("1f0b8e52-7c3d-4a9e-b6f1-2d4c6e8a0b13")
# Jira pages the issues it scans; the world hands them over in pages this long.
_SCAN_PAGE = 1000


class JiraWorld:
    """Jira's reading of a `TrackerWorld` (one site: every Jira container is one of its
    projects)."""

    def __init__(self, world: TrackerWorld) -> None:
        self.world = world

    # -- the site ---------------------------------------------------------------------------

    def projects(self) -> list[Container]:
        return self.world.containers(_JIRA)

    def project(self, id_or_key: str) -> Container | None:
        """The project with this id or key (any case)."""
        wanted = id_or_key.strip()
        for found in self.projects():
            if found.id == wanted or found.key.lower() == wanted.lower():
                return found
        return None

    def site_url(self) -> str:
        projects = self.projects()
        return projects[0].site_url if projects else "https://example.atlassian.net"

    def cloud_id(self) -> str:
        """The site's cloud id (stable per site URL), as the OAuth gateway addresses it."""
        return str(uuid.uuid5(_CLOUD_NAMESPACE, self.site_url()))

    def account_for_token(self, token: str) -> str | None:
        return self.world.account_for_token(_JIRA, token)

    def accounts(self) -> list[Account]:
        return self.world.accounts(_JIRA)

    def account(self, account_id: str | None) -> Account | None:
        if account_id is None:
            return None
        return self.world.account(_JIRA, account_id)

    def find_account(self, value: str) -> str | None:
        """The account a JQL user value names: account id, e-mail or display name."""
        wanted = value.strip().lower()
        for account in self.accounts():
            names = (account.account_id.lower(), (account.email or "\0").lower())
            if wanted in names or wanted == account.display_name.lower():
                return account.account_id
        return None

    # -- issues --------------------------------------------------------------------------------

    def visible(self, id_or_key: str, account: str) -> FakeTicket | None:
        """The issue with this id or key (any case) if `account` may see it."""
        text = id_or_key.strip()
        ticket = (
            self.world.ticket_by_id(_JIRA, text)
            if text.isdigit()
            else self.world.ticket(_JIRA, text.upper())
        )
        if ticket is None or ticket.deleted or not ticket.visible_to(account):
            return None
        return ticket

    def container_of(self, ticket: FakeTicket) -> Container:
        found = self.world.container(_JIRA, id=ticket.container_id)
        assert found is not None, ticket.container_id
        return found

    def scan(self, account: str, project_ids: frozenset[str] | None) -> Iterator[FakeTicket]:
        """Every issue of these projects (None: all) that `account` may see."""
        for project in self.projects():
            if project_ids is not None and project.id not in project_ids:
                continue
            offset = 0
            while True:
                page = self.world.tickets(_JIRA, project.key, limit=_SCAN_PAGE, offset=offset)
                for ticket in page:
                    if not ticket.deleted and ticket.visible_to(account):
                        yield ticket
                if len(page) < _SCAN_PAGE:
                    break
                offset += _SCAN_PAGE

    def jql_issue(self, ticket: FakeTicket, project: Container | None = None) -> JqlIssue:
        """What JQL sees of `ticket` (`project`: its project, when the caller has it)."""
        container = project or self.container_of(ticket)
        resolution = RESOLUTIONS.get(ticket.status_category)
        return JqlIssue(
            id=ticket.id,
            key=ticket.key,
            number=ticket.number,
            project_id=container.id,
            project_key=container.key,
            summary=ticket.title,
            description=ticket.body_markdown or "",
            comments=lambda: [c.body_markdown for c in self.comments(ticket)],
            status=ticket.status_name,
            category_key=CATEGORY_OF[ticket.status_category].key,
            resolution=resolution[1] if resolution else None,
            issuetype=ISSUE_TYPES[0].name,
            priority=priority_name(ticket.priority),
            assignee=ticket.assignee,
            reporter=ticket.reporter,
            labels=ticket.labels,
            created=ticket.created_at,
            updated=ticket.updated_at,
            parent_id=self._parent_id(ticket),
        )

    def _parent_id(self, ticket: FakeTicket) -> str | None:
        if ticket.parent_key is None:
            return None
        parent = self.world.ticket(_JIRA, ticket.parent_key)
        return parent.id if parent is not None else None

    def parent(self, ticket: FakeTicket) -> FakeTicket | None:
        if ticket.parent_key is None:
            return None
        return self.world.ticket(_JIRA, ticket.parent_key)

    def comments(self, ticket: FakeTicket) -> list[Comment]:
        return self.world.comments(_JIRA, ticket.key)

    def jql_site(self, account: str, now: datetime) -> JqlSite:
        """The site a query of `account` is checked against."""

        def find_issue(value: str) -> IssueRef | None:
            ticket = self.visible(value, account)
            if ticket is None:
                return None
            return IssueRef(ticket.id, ticket.container_id, ticket.number)

        return JqlSite(
            now=now,
            current_user=account,
            projects=[(p.id, p.key, p.name) for p in self.projects()],
            statuses=[(status_id, name) for status_id, name, _ in STATUSES],
            find_issue=find_issue,
            find_account=self.find_account,
            issue_types=[(t.id, t.name) for t in ISSUE_TYPES],
            resolutions=[(r[0], r[1]) for r in RESOLUTIONS.values()],
            priorities=[(p[0], p[1]) for p in PRIORITIES],
        )


# The world keeps Linear's priority scale (0 none, 1 urgent .. 4 low); Jira shows its five
# default priorities, the lowest standing for "none".
_PRIORITY_NAMES = {1: "Highest", 2: "High", 3: "Medium", 4: "Low", 0: "Lowest"}
_PRIORITY_VALUES = {name: value for value, name in _PRIORITY_NAMES.items()}


def priority_name(value: int | None) -> str | None:
    """The Jira priority the world's `value` is shown as."""
    return None if value is None else _PRIORITY_NAMES.get(value)


def priority_value(name_or_id: str) -> int | None:
    """The world's priority for a Jira priority name or id; None when Jira has no such one."""
    for ident, name, _ in PRIORITIES:
        if name_or_id in (ident, name) or name_or_id.lower() == name.lower():
            return _PRIORITY_VALUES[name]
    return None
