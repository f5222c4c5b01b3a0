"""A fake GitHub REST API (issues) over the shared `TrackerWorld`.

Serves `GET /repos/{owner}/{repo}/issues/{n}` (pull requests included, as GitHub does; 301
for transferred issues, 410 for deleted ones), the same by repository id, `PATCH` of state
and `state_reason`, and `GET /search/issues` with `repo:`, `is:issue|pr` and `in:`
qualifiers (others are ignored), `per_page`/`page` paging and `Link` headers. Rate limiting answers as a
primary (403, `x-ratelimit-remaining: 0`) or secondary (429, `retry-after`) limit.
"""

from __future__ import annotations

import base64
import re
import shlex
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from kitty_contracts import Provider, StatusCategory
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._common import FakeFaults, Json, PayloadHook, request_token
from .world.models import Container, FakeTicket
from .world.store import SearchField, TrackerWorld

__all__ = ["GITHUB_API_URL", "create_github_fake", "github_issue_payload"]

GITHUB_API_URL = "https://api.github.com"
_DOCS = "https://docs.github.com/rest"
_SEARCH_CAP = 1000


def create_github_fake(
    world: TrackerWorld,
    *,
    faults: FakeFaults | None = None,
    payload_hook: PayloadHook | None = None,
) -> Starlette:
    """The fake GitHub API as an ASGI app; `faults` switches misbehaviour at run time."""
    fake = _GitHubFake(world, faults or FakeFaults(), payload_hook)
    app = Starlette(
        routes=[
            Route(
                "/repos/{owner}/{repo}/issues/{number:int}", fake.issue, methods=["GET", "PATCH"]
            ),
            Route(
                "/repositories/{repo_id}/issues/{number:int}",
                fake.issue_by_repo_id,
                methods=["GET"],
            ),
            Route("/search/issues", fake.search, methods=["GET"]),
        ]
    )
    app.state.faults = fake.faults
    return app


def _message(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"message": message, "documentation_url": _DOCS, "status": str(status)},
        status_code=status,
        headers=headers,
    )


class _GitHubFake:
    def __init__(
        self, world: TrackerWorld, faults: FakeFaults, payload_hook: PayloadHook | None
    ) -> None:
        self.world, self.faults, self.hook = world, faults, payload_hook

    def _gate(self, request: Request, resource: str) -> str | Response:
        failure = self.faults.next_failure()
        if failure is not None:
            return _message(failure, "Injected failure")
        if self.faults.take_rate_limit():
            reset = int(datetime.now(UTC).timestamp()) + self.faults.retry_after
            limits = {
                "x-ratelimit-limit": "30",
                "x-ratelimit-used": "30",
                "x-ratelimit-resource": resource,
                "x-ratelimit-reset": str(reset),
            }
            if self.faults.rate_limit_style == "secondary":
                return _message(
                    429,
                    "You have exceeded a secondary rate limit. Please wait a "
                    "few minutes before you try again.",
                    headers={
                        **limits,
                        "x-ratelimit-remaining": "5",
                        "retry-after": str(self.faults.retry_after),
                    },
                )
            return _message(
                403,
                "API rate limit exceeded for user ID 1.",
                headers={**limits, "x-ratelimit-remaining": "0"},
            )
        token = request_token(request)
        account = self.world.account_for_token(Provider.github, token) if token else None
        if account is None:
            return _message(401, "Bad credentials")
        return account

    def _payload(self, kind: str, payload: Json) -> Json:
        return self.hook(kind, payload) if self.hook else payload

    async def issue(self, request: Request) -> Response:
        account = self._gate(request, "core")
        if isinstance(account, Response):
            return account
        full_name = f"{request.path_params['owner']}/{request.path_params['repo']}"
        repo = _repo(self.world, key=full_name)
        if repo is None:
            return _message(404, "Not Found")
        if request.method == "PATCH":
            return await self._patch(request, repo, account)
        return self._answer(request, repo, request.path_params["number"], account)

    async def issue_by_repo_id(self, request: Request) -> Response:
        account = self._gate(request, "core")
        if isinstance(account, Response):
            return account
        repo = self.world.container(Provider.github, id=request.path_params["repo_id"])
        if repo is None:
            return _message(404, "Not Found")
        return self._answer(request, repo, request.path_params["number"], account)

    def _answer(self, request: Request, repo: Container, number: int, account: str) -> Response:
        ticket = self.world.ticket_by_number(Provider.github, repo.id, number)
        if ticket is None or not ticket.visible_to(account):
            return _message(404, "Not Found")
        if ticket.deleted:
            return _message(410, "This issue was deleted")
        if ticket.transferred_to:
            target = self.world.ticket(Provider.github, ticket.transferred_to)
            target_repo = _repo(self.world, key=target.container_key) if target else None
            if target is None or target_repo is None:
                return _message(404, "Not Found")
            location = f"{_base(request)}/repositories/{target_repo.id}/issues/{target.number}"
            return JSONResponse(
                {"message": "Moved Permanently", "url": location, "documentation_url": _DOCS},
                status_code=301,
                headers={"location": location},
            )
        return JSONResponse(
            self._payload("issue", github_issue_payload(ticket, repo, api_base=_base(request)))
        )

    async def _patch(self, request: Request, repo: Container, account: str) -> Response:
        ticket = self.world.ticket_by_number(
            Provider.github, repo.id, request.path_params["number"]
        )
        if ticket is None or ticket.deleted or not ticket.visible_to(account):
            return _message(404, "Not Found")
        body = await request.json()
        state, reason = body.get("state", "open"), body.get("state_reason")
        if state == "open":
            category, name, reason = (
                StatusCategory.todo,
                "Open",
                "reopened"
                if (ticket.status_category in (StatusCategory.done, StatusCategory.canceled))
                else None,
            )
        elif state == "closed" and reason in (None, "completed"):
            category, name, reason = StatusCategory.done, "Closed", "completed"
        elif state == "closed" and reason in ("not_planned", "duplicate"):
            category = StatusCategory.canceled
            name = "Closed as not planned" if reason == "not_planned" else "Closed as duplicate"
        else:
            return _message(422, "Validation Failed")
        updated = self.world.update_status(
            Provider.github,
            ticket.key,
            status_name=name,
            status_category=category,
            state_reason=reason,
            updated_at=datetime.now(UTC),
            actor=account,
        )
        assert updated is not None
        return JSONResponse(
            self._payload("issue", github_issue_payload(updated, repo, api_base=_base(request)))
        )

    async def search(self, request: Request) -> Response:
        account = self._gate(request, "search")
        if isinstance(account, Response):
            return account
        query = request.query_params.get("q", "")
        try:
            words = shlex.split(query)
        except ValueError:
            return _message(422, "Validation Failed")
        qualifiers = {
            w.split(":", 1)[0].lower(): w.split(":", 1)[1]
            for w in words
            if re.match(r"^[a-z_]+:\S+$", w, re.IGNORECASE)
        }
        terms = [w for w in words if not re.match(r"^[a-z_]+:\S+$", w, re.IGNORECASE)]
        kinds = {w.split(":", 1)[1].lower() for w in words if w.lower().startswith("is:")}
        if not kinds & {"issue", "pr", "pull-request"}:
            return _message(422, "Query must include 'is:issue' or 'is:pull-request'")
        repo = _repo(self.world, key=qualifiers.get("repo", ""))
        per_page = max(1, min(int(request.query_params.get("per_page", 30)), 100))
        page = max(1, int(request.query_params.get("page", 1)))
        items: list[Json] = []
        total = 0
        if repo is not None and terms:
            pull_requests = None if {"issue", "pr"} <= kinds else "issue" not in kinds
            field: SearchField = "title" if qualifiers.get("in", "title,body") == "title" else "all"
            hits = self.world.search(
                Provider.github,
                repo.id,
                " ".join(terms),
                account_id=account,
                limit=per_page,
                offset=(page - 1) * per_page,
                field=field,
                pull_requests=pull_requests,
            )
            total = min(hits.total, _SEARCH_CAP)
            for rank, ticket in enumerate(hits.tickets):
                item = github_issue_payload(ticket, repo, api_base=_base(request), search=True)
                item["score"] = round(1.0 / (1 + rank + (page - 1) * per_page), 6)
                items.append(item)
        headers = {}
        if page * per_page < total:
            params = {"q": query, "per_page": per_page, "page": page + 1}
            headers["link"] = f'<{_base(request)}/search/issues?{urlencode(params)}>; rel="next"'
        body = {
            "total_count": total,
            "incomplete_results": False,
            "items": items,
            "search_type": "lexical",
        }
        return JSONResponse(self._payload("search", body), headers=headers)


def github_issue_payload(
    ticket: FakeTicket, repo: Container, *, api_base: str = GITHUB_API_URL, search: bool = False
) -> Json:
    """The `issue` (or `issue-search-result-item`) object for `ticket`."""
    web = f"{repo.site_url.rstrip('/')}/{repo.key}"
    api = f"{api_base}/repos/{repo.key}"
    state, reason = _state(ticket)
    author = _user("alice", 1001, api_base, repo.site_url)
    payload: dict[str, Any] = {
        "url": f"{api}/issues/{ticket.number}",
        "repository_url": api,
        "labels_url": f"{api}/issues/{ticket.number}/labels{{/name}}",
        "comments_url": f"{api}/issues/{ticket.number}/comments",
        "events_url": f"{api}/issues/{ticket.number}/events",
        "html_url": f"{web}/{'pull' if ticket.is_pull_request else 'issues'}/{ticket.number}",
        "id": int(ticket.id),
        "node_id": "I_" + base64.b64encode(f"issue:{ticket.id}".encode()).decode().rstrip("="),
        "number": ticket.number,
        "title": ticket.title,
        "user": author,
        "labels": [],
        "state": state,
        "state_reason": reason,
        "locked": False,
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "comments": 0,
        "created_at": _time(ticket.created_at),
        "updated_at": _time(ticket.updated_at),
        "closed_at": _time(ticket.updated_at) if state == "closed" else None,
        "author_association": "MEMBER",
    }
    if ticket.body_markdown is not None or not search:
        payload["body"] = ticket.body_markdown
    if ticket.is_pull_request:
        pull = f"{api}/pulls/{ticket.number}"
        payload["pull_request"] = {
            "url": pull,
            "html_url": payload["html_url"],
            "diff_url": f"{payload['html_url']}.diff",
            "patch_url": f"{payload['html_url']}.patch",
            "merged_at": None,
        }
        payload["draft"] = False
    return payload


def _state(ticket: FakeTicket) -> tuple[str, str | None]:
    if ticket.status_category in (StatusCategory.done, StatusCategory.canceled):
        default = "completed" if ticket.status_category is StatusCategory.done else "not_planned"
        return "closed", ticket.state_reason or default
    return "open", ticket.state_reason if ticket.state_reason == "reopened" else None


def _user(login: str, user_id: int, api_base: str, web_root: str) -> Json:
    api = f"{api_base}/users/{login}"
    return {
        "login": login,
        "id": user_id,
        "node_id": f"U_{user_id}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{user_id}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": f"{web_root.rstrip('/')}/{login}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": "User",
        "site_admin": False,
    }


def _repo(world: TrackerWorld, *, key: str) -> Container | None:
    wanted = key.lower()
    return next((c for c in world.containers(Provider.github) if c.key.lower() == wanted), None)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
