"""Issues, comments and issue events of the world as GitHub renders them (`issue`,
`issue-search-result-item`, `issue-comment`, `issue-event`, `issue-event-for-issue`)."""

from __future__ import annotations

from typing import Any

from kitty_contracts import Provider

from kitty_mock_saas.tracker_fakes.world.models import (
    Comment,
    Container,
    EventKind,
    FakeTicket,
    TicketEvent,
)

from .render import GitHubRender, _node_id, github_time, issue_state

__all__ = ["EVENT_KINDS", "comment_payload", "event_payload", "issue_payload"]

Json = dict[str, Any]
# The world's event kinds GitHub's issue events API shows (comments and body edits are not
# issue events on GitHub; they appear on the timeline only), by GitHub's event name.
EVENT_KINDS = {
    EventKind.renamed: "renamed",
    EventKind.labeled: "labeled",
    EventKind.unlabeled: "unlabeled",
    EventKind.assigned: "assigned",
    EventKind.unassigned: "unassigned",
    EventKind.closed: "closed",
    EventKind.reopened: "reopened",
}


def issue_payload(
    render: GitHubRender, ticket: FakeTicket, repo: Container, *, search: bool = False
) -> Json:
    """The `issue` (or `issue-search-result-item`) object for `ticket`."""
    api = f"{render.api}/repos/{repo.key}"
    web = f"{render.web}/{repo.key}"
    state, reason = issue_state(ticket)
    assignees = [render.user(ticket.assignee)] if ticket.assignee else []
    html_url = f"{web}/{'pull' if ticket.is_pull_request else 'issues'}/{ticket.number}"
    payload: Json = {
        "url": f"{api}/issues/{ticket.number}",
        "repository_url": api,
        "labels_url": f"{api}/issues/{ticket.number}/labels{{/name}}",
        "comments_url": f"{api}/issues/{ticket.number}/comments",
        "events_url": f"{api}/issues/{ticket.number}/events",
        "html_url": html_url,
        "id": int(ticket.id),
        "node_id": _node_id("I", ticket.id),
        "number": ticket.number,
        "title": ticket.title,
        "user": render.user(ticket.reporter),
        "labels": render.labels_of(ticket, repo),
        "state": state,
        "state_reason": reason,
        "locked": False,
        "assignee": assignees[0] if assignees else None,
        "assignees": assignees,
        "milestone": None,
        "comments": len(render.world.comments(Provider.github, ticket.key)),
        "created_at": github_time(ticket.created_at),
        "updated_at": github_time(ticket.updated_at),
        "closed_at": _closed_at(render, ticket) if state == "closed" else None,
        "author_association": "MEMBER",
        "active_lock_reason": None,
    }
    if ticket.body_markdown is not None or not search:
        payload["body"] = ticket.body_markdown
    if ticket.is_pull_request:
        payload["pull_request"] = {
            "url": f"{api}/pulls/{ticket.number}",
            "html_url": html_url,
            "diff_url": f"{html_url}.diff",
            "patch_url": f"{html_url}.patch",
            "merged_at": None,
        }
        payload["draft"] = False
    return payload


def _closed_at(render: GitHubRender, ticket: FakeTicket) -> str:
    """When the issue was last closed; a seeded closed issue (no recorded closing) shows its
    creation time, so that later edits never move it."""
    closings = [
        e.at
        for e in render.world.ticket_events(Provider.github, ticket.key)
        if e.kind is EventKind.closed
    ]
    return github_time(closings[-1] if closings else ticket.created_at)


def comment_payload(
    render: GitHubRender, comment: Comment, ticket: FakeTicket, repo: Container
) -> Json:
    """The `issue-comment` object for `comment` on `ticket`."""
    api = f"{render.api}/repos/{repo.key}"
    kind = "pull" if ticket.is_pull_request else "issues"
    return {
        "id": int(comment.id),
        "node_id": _node_id("IC", comment.id),
        "url": f"{api}/issues/comments/{comment.id}",
        "html_url": f"{render.web}/{repo.key}/{kind}/{ticket.number}#issuecomment-{comment.id}",
        "body": comment.body_markdown,
        "user": render.user(comment.author),
        "created_at": github_time(comment.created_at),
        "updated_at": github_time(comment.updated_at),
        "issue_url": f"{api}/issues/{ticket.number}",
        "author_association": "MEMBER",
    }


def event_payload(
    render: GitHubRender,
    event: TicketEvent,
    ticket: FakeTicket,
    repo: Container,
    *,
    with_issue: bool,
) -> Json:
    """An `issue-event` (with its `issue`, for the repository's list) or an
    `issue-event-for-issue` (without, for one issue's list)."""
    name = EVENT_KINDS[event.kind]
    payload: Json = {
        "id": event.id,
        "node_id": _node_id("IE", event.id),
        "url": f"{render.api}/repos/{repo.key}/issues/events/{event.id}",
        "actor": render.user(event.actor),
        "event": name,
        "commit_id": None,
        "commit_url": None,
        "created_at": github_time(event.at),
        "performed_via_github_app": None,
    }
    details = event.details
    if name in ("labeled", "unlabeled"):
        found = render.world.label(Provider.github, repo.id, str(details.get("label", "")))
        color = found.color.lstrip("#") if found else "ededed"
        payload["label"] = {"name": str(details.get("label", "")), "color": color}
    elif name in ("assigned", "unassigned"):
        payload["assignee"] = render.user(details.get("assignee"))
        payload["assigner"] = render.user(event.actor)
    elif name == "renamed":
        payload["rename"] = {"from": str(details.get("from", "")), "to": str(details.get("to", ""))}
    elif name == "closed":
        payload["state_reason"] = issue_state(ticket)[1] if ticket.state_reason else "completed"
    if with_issue:
        payload["issue"] = issue_payload(render, ticket, repo)
    return payload
