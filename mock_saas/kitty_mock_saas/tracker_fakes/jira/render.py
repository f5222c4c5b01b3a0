"""Jira's JSON for what the world holds: issues (`IssueBean`), users, statuses, projects.

REST v3 carries descriptions and comment bodies as ADF, v2 as plain text; `self` links point
back at the API root the client called (site URL or the OAuth gateway, v2 or v3).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kitty_contracts import Provider, StatusCategory

from kitty_mock_saas.tracker_fakes.markdown_adf import markdown_to_adf
from kitty_mock_saas.tracker_fakes.world.models import Account, Comment, Container, FakeTicket

from .catalogue import (
    CATEGORY_OF,
    DEFAULT_ISSUE_TYPE,
    FIELDS,
    GERMAN_CATEGORY_NAMES,
    GERMAN_STATUSES,
    ISSUE_FIELDS,
    LINK_TYPES,
    PRIORITIES,
    RESOLUTIONS,
    IssueType,
    status_id,
)
from .world_view import JiraWorld, priority_name

__all__ = ["Call", "Json", "issue_bean", "jira_time", "rfc3339_time", "selected_fields"]

Json = dict[str, Any]
_ISSUE_EXPAND = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"


@dataclass(frozen=True, slots=True)
class Call:
    """One request: where the client reached the API, which version, and who is asking."""

    site: str  # scheme://host[:port], plus /ex/jira/{cloudId} through the gateway
    version: str  # "2", "3" or "latest" (which Jira serves as 2)
    account: str

    @property
    def api(self) -> str:
        return f"{self.site}/rest/api/{self.version}"

    @property
    def adf(self) -> bool:
        """Whether bodies are ADF (v3) rather than plain text (v2)."""
        return self.version == "3"

    def body(self, markdown: str | None) -> Any:
        """A description or comment body as this version carries it."""
        if self.adf:
            return markdown_to_adf(markdown)
        return markdown or None


def jira_time(moment: datetime) -> str:
    """An issue field's time as Jira writes it (`2026-01-14T08:00:00.000+0000`)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"


def rfc3339_time(moment: datetime) -> str:
    """A time where the published description types it `date-time` (comments, serverInfo):
    the same instant with the offset RFC 3339 spells (`+00:00`)."""
    return jira_time(moment)[:-2] + ":00"


def avatars(base: str, owner: str) -> Json:
    return {size: f"{base}/secure/useravatar?size={size}&ownerId={owner}" for size in (
        "48x48", "24x24", "16x16", "32x32"
    )}  # fmt: skip


def user(account: Account | None, call: Call) -> Json | None:
    """A `UserDetails` (null for nobody)."""
    if account is None:
        return None
    body: Json = {
        "self": f"{call.api}/user?accountId={account.account_id}",
        "accountId": account.account_id,
        "avatarUrls": avatars(call.site, account.account_id),
        "displayName": account.display_name,
        "active": True,
        "timeZone": "Etc/UTC",
        "accountType": "app" if account.is_app else "atlassian",
    }
    if account.email:
        body["emailAddress"] = account.email
    return body


def status(name: str, category: StatusCategory, call: Call) -> Json:
    """A `StatusDetails`."""
    bucket = CATEGORY_OF[category]
    category_name = GERMAN_CATEGORY_NAMES[bucket.key] if name in GERMAN_STATUSES else bucket.name
    ident = status_id(name)
    return {
        "self": f"{call.api}/status/{ident}",
        "description": "",
        "iconUrl": f"{call.site}/images/icons/statuses/generic.png",
        "name": name,
        "id": ident,
        "statusCategory": {
            "self": f"{call.api}/statuscategory/{bucket.id}",
            "id": bucket.id,
            "key": bucket.key,
            "colorName": bucket.color,
            "name": category_name,
        },
    }


def resolution(category: StatusCategory, call: Call) -> Json | None:
    if category not in RESOLUTIONS:
        return None
    ident, name, description = RESOLUTIONS[category]
    return {"self": f"{call.api}/resolution/{ident}", "id": ident, "description": description,
            "name": name}  # fmt: skip


def issue_type(kind: IssueType, call: Call) -> Json:
    return {
        "self": f"{call.api}/issuetype/{kind.id}",
        "id": kind.id,
        "description": kind.description,
        "iconUrl": f"{call.site}/images/icons/issuetypes/{kind.name.lower()}.svg",
        "name": kind.name,
        "subtask": kind.subtask,
        "hierarchyLevel": kind.hierarchy_level,
    }


def priority(name: str | None, call: Call) -> Json | None:
    row = next((p for p in PRIORITIES if p[1] == name), None)
    if row is None:
        return None
    ident, label, color = row
    return {"self": f"{call.api}/priority/{ident}", "id": ident, "name": label,
            "statusColor": color,
            "iconUrl": f"{call.site}/images/icons/priorities/{label.lower()}.svg"}  # fmt: skip


def project(container: Container, call: Call) -> Json:
    """A project as issues and project lists show it."""
    return {
        "self": f"{call.api}/project/{container.id}",
        "id": container.id,
        "key": container.key,
        "name": container.name,
        "projectTypeKey": "software",
        "simplified": False,
        "avatarUrls": avatars(call.site, container.id),
    }


def field_list() -> list[Json]:
    return [dict(field) for field in FIELDS]


def selected_fields(raw: Iterable[str], default: str) -> set[str]:
    """The field ids a `fields` parameter asks for (`*all`, `*navigable`, `-name`, lists)."""
    names = [n.strip() for item in raw for n in str(item).split(",") if n.strip()] or [default]
    chosen: set[str] = set()
    for name in names:
        if name in ("*all", "*navigable"):
            chosen |= set(ISSUE_FIELDS)
        elif not name.startswith("-"):
            chosen.add(name)
    for name in names:
        if name.startswith("-"):
            chosen.discard(name[1:])
    return chosen


def issue_bean(ticket: FakeTicket, jira: JiraWorld, call: Call, fields: set[str]) -> Json:
    """An `IssueBean` with the requested `fields`: every one Jira knows is answered (null or
    [] when unset); `id` alone answers the id only, as `/search/jql` does by default."""
    if fields <= {"id"}:
        return {"id": ticket.id}
    container = jira.container_of(ticket)
    values = _field_values(ticket, container, jira, call, fields & set(ISSUE_FIELDS))
    return {
        "expand": _ISSUE_EXPAND,
        "id": ticket.id,
        "self": f"{call.api}/issue/{ticket.id}",
        "key": ticket.key,
        "fields": values,
    }


# (ticket, its project, the site, the call) -> the field's value; only the wanted ones run.
_Producer = Callable[[FakeTicket, Container, JiraWorld, Call], Any]
_PRODUCERS: dict[str, _Producer] = {
    "summary": lambda ticket, _c, _j, _call: ticket.title,
    "description": lambda ticket, _c, _j, call: call.body(ticket.body_markdown),
    "status": lambda ticket, _c, _j, call: status(ticket.status_name, ticket.status_category, call),
    "project": lambda _t, container, _j, call: project(container, call),
    "issuetype": lambda _t, _c, _j, call: issue_type(DEFAULT_ISSUE_TYPE, call),
    "priority": lambda ticket, _c, _j, call: priority(priority_name(ticket.priority), call),
    "resolution": lambda ticket, _c, _j, call: resolution(ticket.status_category, call),
    "assignee": lambda ticket, _c, jira, call: user(jira.account(ticket.assignee), call),
    "reporter": lambda ticket, _c, jira, call: user(jira.account(ticket.reporter), call),
    "labels": lambda ticket, _c, _j, _call: list(ticket.labels),
    "parent": lambda ticket, _c, jira, call: _parent(jira.parent(ticket), call),
    "issuelinks": lambda ticket, _c, jira, call: issue_links(ticket, jira, call),
    "comment": lambda ticket, _c, jira, call: comment_page(
        [comment(c, jira, call, ticket) for c in jira.comments(ticket)], call, ticket
    ),
    "created": lambda ticket, _c, _j, _call: jira_time(ticket.created_at),
    "updated": lambda ticket, _c, _j, _call: jira_time(ticket.updated_at),
}


def _field_values(
    ticket: FakeTicket, container: Container, jira: JiraWorld, call: Call, wanted: set[str]
) -> Json:
    return {
        name: _PRODUCERS[name](ticket, container, jira, call)
        for name in ISSUE_FIELDS
        if name in wanted
    }


def _parent(parent: FakeTicket | None, call: Call) -> Json | None:
    if parent is None:
        return None
    return {
        "id": parent.id,
        "key": parent.key,
        "self": f"{call.api}/issue/{parent.id}",
        "fields": {
            "summary": parent.title,
            "status": status(parent.status_name, parent.status_category, call),
            "priority": priority(priority_name(parent.priority), call),
            "issuetype": issue_type(DEFAULT_ISSUE_TYPE, call),
        },
    }


def comment(found: Comment, jira: JiraWorld, call: Call, ticket: FakeTicket) -> Json:
    """A `Comment` (its body ADF in v3, text in v2)."""
    author = user(jira.account(found.author), call)
    body: Json = {
        "self": f"{call.api}/issue/{ticket.id}/comment/{found.id}",
        "id": found.id,
        "body": call.body(found.body_markdown) or ("" if not call.adf else None),
        "created": rfc3339_time(found.created_at),
        "updated": rfc3339_time(found.updated_at),
        "jsdPublic": True,
    }
    if author is not None:
        body["author"] = body["updateAuthor"] = author
    return body


def link_type(name: str, call: Call) -> Json | None:
    """An `IssueLinkType` by name (any case) or id; None when the site has none."""
    row = next((r for r in LINK_TYPES if name.lower() in (r[0], r[1].lower())), None)
    if row is None:
        return None
    ident, label, inward, outward = row
    return {"id": ident, "name": label, "inward": inward, "outward": outward,
            "self": f"{call.api}/issueLinkType/{ident}"}  # fmt: skip


def _linked(ticket: FakeTicket, call: Call) -> Json:
    return {
        "id": ticket.id,
        "key": ticket.key,
        "self": f"{call.api}/issue/{ticket.id}",
        "fields": {
            "summary": ticket.title,
            "status": status(ticket.status_name, ticket.status_category, call),
            "priority": priority(priority_name(ticket.priority), call),
            "issuetype": issue_type(DEFAULT_ISSUE_TYPE, call),
        },
    }


def issue_links(ticket: FakeTicket, jira: JiraWorld, call: Call) -> list[Json]:
    """The `issuelinks` field: each link seen from `ticket`, to issues the caller may see."""
    shown: list[Json] = []
    for link in jira.world.links(Provider.jira, ticket.key):
        outward = link.from_key == ticket.key
        other = jira.visible(link.to_key if outward else link.from_key, call.account)
        kind = link_type(link.kind, call)
        if other is None or kind is None:
            continue
        shown.append(
            {
                "id": link.id,
                "self": f"{call.api}/issueLink/{link.id}",
                "type": kind,
                ("outwardIssue" if outward else "inwardIssue"): _linked(other, call),
            }
        )
    return shown


def comment_page(comments: list[Json], call: Call, ticket: FakeTicket) -> Json:
    return {
        "self": f"{call.api}/issue/{ticket.id}/comment",
        "comments": comments,
        "maxResults": len(comments),
        "total": len(comments),
        "startAt": 0,
    }
