"""The fake Jira Cloud site as an ASGI app: the platform REST API, v2 and v3, at the site URL
and behind the OAuth gateway (`/ex/jira/{cloudId}`), over the shared `TrackerWorld`."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kitty_mock_saas.tracker_fakes._common import FakeFaults, PayloadHook
from kitty_mock_saas.tracker_fakes.world.store import TrackerWorld

from .changelog import JiraChangelog
from .comments import JiraComments
from .gate import Handler, JiraGate, error, not_found_route
from .issues import JiraIssues
from .links import JiraLinks
from .search import JiraSearch
from .site import JiraSite
from .world_view import JiraWorld

__all__ = ["create_jira_fake"]

_SITE_ROOTS = ("", "/ex/jira/{cloud_id}")


def create_jira_fake(
    world: TrackerWorld,
    *,
    faults: FakeFaults | None = None,
    payload_hook: PayloadHook | None = None,
) -> Starlette:
    """The fake Jira as an ASGI app; `faults` switches misbehaviour at run time and
    `payload_hook` rewrites issue and search answers (a provider that drifted)."""
    jira = JiraWorld(world)
    gate = JiraGate(jira, faults or FakeFaults())
    site, issues, search = (
        JiraSite(jira),
        JiraIssues(jira, payload_hook),
        JiraSearch(jira, payload_hook),
    )
    comments, links, changelog = JiraComments(jira), JiraLinks(jira), JiraChangelog(jira)
    table: list[tuple[str, Handler, list[str], bool]] = [
        ("serverInfo", site.server_info, ["GET"], True),
        ("myself", site.myself, ["GET"], False),
        ("project", site.projects, ["GET"], False),
        ("project/search", site.project_search, ["GET"], False),
        ("project/{id_or_key}", site.project, ["GET"], False),
        ("user", site.user, ["GET"], False),
        ("user/search", site.user_search, ["GET"], False),
        ("field", site.fields, ["GET"], False),
        ("issuetype", site.issue_types, ["GET"], False),
        ("priority", site.priorities, ["GET"], False),
        ("status", site.statuses, ["GET"], False),
        ("issue", issues.create, ["POST"], False),
        ("issue/{id_or_key}", issues.get, ["GET"], False),
        ("issue/{id_or_key}", issues.edit, ["PUT"], False),
        ("issue/{id_or_key}/assignee", issues.assign, ["PUT"], False),
        ("issue/{id_or_key}/changelog", changelog.page, ["GET"], False),
        ("issue/{id_or_key}/transitions", issues.transitions, ["GET", "POST"], False),
        ("issue/{id_or_key}/comment", comments.list_or_add, ["GET", "POST"], False),
        ("issue/{id_or_key}/comment/{comment_id}", comments.one, ["GET"], False),
        ("issueLink", links.create, ["POST"], False),
        ("issueLinkType", links.types, ["GET"], False),
        ("search/jql", search.search_jql, ["GET", "POST"], False),
        ("search/approximate-count", search.approximate_count, ["POST"], False),
        ("search", search.removed, ["GET", "POST"], False),
    ]
    routes = [
        Route(
            f"{root}/rest/api/{{version}}/{path}",
            gate.wrap(handler, anonymous=anonymous),
            methods=methods,
        )
        for root in _SITE_ROOTS
        for path, handler, methods, anonymous in table
    ]
    routes.append(
        Route(
            "/oauth/token/accessible-resources",
            gate.wrap(site.accessible_resources),
            methods=["GET"],
        )
    )
    app = Starlette(
        routes=routes,
        exception_handlers={404: _unknown_route, 405: _unknown_method},
    )
    app.state.faults = gate.faults
    return app


async def _unknown_route(request: Request, exc: Exception) -> Response:
    return not_found_route(request)


async def _unknown_method(request: Request, exc: Exception) -> Response:
    detail = exc.detail if isinstance(exc, HTTPException) else "Method Not Allowed"
    return error(405, str(detail))
