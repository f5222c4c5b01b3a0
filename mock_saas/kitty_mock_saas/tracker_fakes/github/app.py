"""The fake GitHub REST API as a Starlette app: its routes, at the root (api.github.com) and
under `/api/v3` (GitHub Enterprise Server's form), and GitHub's 404 body for anything else."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from kitty_mock_saas.tracker_fakes._common import FakeFaults, PayloadHook
from kitty_mock_saas.tracker_fakes.world.store import TrackerWorld

from .account import AccountRoutes
from .comments import CommentRoutes
from .context import github_error
from .events import EventRoutes
from .issues import IssueRoutes
from .labels import LabelRoutes
from .search import SearchRoutes

__all__ = ["create_github_fake"]

_ISSUE = "/repos/{owner}/{repo}/issues/{number:int}"


class _GitHubFake(
    AccountRoutes, IssueRoutes, CommentRoutes, LabelRoutes, EventRoutes, SearchRoutes
):
    """Every route over one world."""


def _routes(fake: _GitHubFake) -> list[BaseRoute]:
    get, post, patch, put, delete = ["GET"], ["POST"], ["PATCH"], ["PUT"], ["DELETE"]
    return [
        Route("/user", fake.authenticated_user, methods=get),
        Route("/user/orgs", fake.user_orgs, methods=get),
        Route("/user/repos", fake.user_repos, methods=get),
        Route("/users/{username}", fake.user, methods=get),
        Route("/orgs/{org}", fake.organization, methods=get),
        Route("/orgs/{org}/repos", fake.org_repos, methods=get),
        Route("/rate_limit", fake.rate_limit, methods=get),
        Route("/search/issues", fake.search, methods=get),
        Route("/repos/{owner}/{repo}", fake.repository, methods=get),
        Route("/repos/{owner}/{repo}/assignees", fake.assignees, methods=get),
        Route("/repos/{owner}/{repo}/labels", fake.repo_labels, methods=get),
        Route("/repos/{owner}/{repo}/labels", fake.create_label, methods=post),
        Route("/repos/{owner}/{repo}/labels/{name}", fake.repo_label, methods=get),
        Route("/repos/{owner}/{repo}/issues", fake.list_issues, methods=get),
        Route("/repos/{owner}/{repo}/issues", fake.create_issue, methods=post),
        Route("/repos/{owner}/{repo}/issues/comments", fake.repo_comments, methods=get),
        Route("/repos/{owner}/{repo}/issues/comments/{comment_id:int}", fake.comment, methods=get),
        Route(
            "/repos/{owner}/{repo}/issues/comments/{comment_id:int}",
            fake.edit_comment,
            methods=patch,
        ),
        Route("/repos/{owner}/{repo}/issues/events", fake.repo_events, methods=get),
        Route("/repos/{owner}/{repo}/issues/events/{event_id:int}", fake.repo_event, methods=get),
        Route(_ISSUE, fake.issue, methods=get),
        Route(_ISSUE, fake.edit_issue, methods=patch),
        Route(f"{_ISSUE}/comments", fake.issue_comments, methods=get),
        Route(f"{_ISSUE}/comments", fake.add_comment, methods=post),
        Route(f"{_ISSUE}/assignees", fake.add_assignees, methods=post),
        Route(f"{_ISSUE}/assignees", fake.remove_assignees, methods=delete),
        Route(f"{_ISSUE}/events", fake.issue_events, methods=get),
        Route(f"{_ISSUE}/labels", fake.issue_labels, methods=get),
        Route(f"{_ISSUE}/labels", fake.add_labels, methods=post),
        Route(f"{_ISSUE}/labels", fake.set_labels, methods=put),
        Route(f"{_ISSUE}/labels", fake.remove_labels, methods=delete),
        Route(f"{_ISSUE}/labels/{{name}}", fake.remove_label, methods=delete),
        # Where GitHub's 301 for a transferred issue points.
        Route("/repositories/{repo_id}/issues/{number:int}", fake.issue_by_repo_id, methods=get),
    ]


async def _not_found(request: Request, exc: Exception) -> Response:
    # GitHub answers an unknown route, and a known one with another method, with its 404.
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status in (404, 405):
        return github_error(404, "Not Found")
    return github_error(status, str(getattr(exc, "detail", "Server Error")))


def create_github_fake(
    world: TrackerWorld,
    *,
    faults: FakeFaults | None = None,
    payload_hook: PayloadHook | None = None,
) -> Starlette:
    """The fake GitHub API as an ASGI app; `faults` switches misbehaviour at run time."""
    fake = _GitHubFake(world, faults or FakeFaults(), payload_hook)
    routes = _routes(fake)
    app = Starlette(
        routes=[*routes, Mount("/api/v3", routes=routes)],
        exception_handlers={HTTPException: _not_found},
    )
    app.state.faults = fake.faults
    return app
