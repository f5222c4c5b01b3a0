"""What every GitHub route shares: the gate (faults, rate limits, credentials), GitHub's error
bodies, its pagination (`per_page`/`page` and the `Link` header) and the request's renderer."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from kitty_contracts import Provider
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kitty_mock_saas.tracker_fakes._common import FakeFaults, PayloadHook, request_token
from kitty_mock_saas.tracker_fakes.world.models import Account, Container, FakeTicket
from kitty_mock_saas.tracker_fakes.world.store import TrackerWorld

from .render import GitHubRender

__all__ = ["DOCS", "FakeContext", "github_error", "validation_failed"]

DOCS = "https://docs.github.com/rest"
T = TypeVar("T")
Json = dict[str, Any]
_PER_PAGE, _MAX_PER_PAGE = 30, 100


def github_error(
    status: int,
    message: str,
    *,
    headers: dict[str, str] | None = None,
    errors: list[Json] | None = None,
) -> JSONResponse:
    """GitHub's JSON error body: `{message, documentation_url, status}` (+ `errors`)."""
    body: Json = {"message": message, "documentation_url": DOCS, "status": str(status)}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers)


def validation_failed(resource: str, field: str, code: str, **extra: Any) -> JSONResponse:
    """GitHub's 422: `Validation Failed` with one `errors` entry."""
    return github_error(
        422,
        "Validation Failed",
        errors=[{"resource": resource, "field": field, "code": code, **extra}],
    )


class FakeContext:
    """The state behind the routes: the world, the fault switches and the drift hook."""

    def __init__(self, world: TrackerWorld, faults: FakeFaults, hook: PayloadHook | None) -> None:
        self.world, self.faults, self.hook = world, faults, hook

    def gate(self, request: Request, resource: str = "core") -> Account | Response:
        """The account the request acts as, or the answer that refuses it."""
        failure = self.faults.next_failure()
        if failure is not None:
            return github_error(failure, "Injected failure")
        if self.faults.take_rate_limit():
            return self._rate_limited(resource)
        token = request_token(request)
        account_id = self.world.account_for_token(Provider.github, token) if token else None
        if account_id is None:
            return github_error(
                401, "Requires authentication" if token is None else "Bad credentials"
            )
        account = self.world.account(Provider.github, account_id)
        return account or Account(Provider.github, account_id, account_id, None, account_id)

    def _rate_limited(self, resource: str) -> Response:
        reset = int(self.world.clock().timestamp()) + self.faults.retry_after
        limits = {
            "x-ratelimit-limit": "30" if resource == "search" else "5000",
            "x-ratelimit-used": "30" if resource == "search" else "5000",
            "x-ratelimit-resource": resource,
            "x-ratelimit-reset": str(reset),
        }
        if self.faults.rate_limit_style == "secondary":
            return github_error(
                429,
                "You have exceeded a secondary rate limit. Please wait a few minutes before "
                "you try again.",
                headers={
                    **limits,
                    "x-ratelimit-remaining": "5",
                    "retry-after": str(self.faults.retry_after),
                },
            )
        return github_error(
            403,
            "API rate limit exceeded for user ID 1.",
            headers={**limits, "x-ratelimit-remaining": "0"},
        )

    def render(self, request: Request) -> GitHubRender:
        return GitHubRender(self.world, api_base(request))

    def payload(self, kind: str, payload: Json) -> Json:
        return self.hook(kind, payload) if self.hook else payload

    def repo(self, request: Request) -> Container | None:
        """The repository `{owner}/{repo}` of the path (GitHub matches names case-insensitively)."""
        wanted = f"{request.path_params['owner']}/{request.path_params['repo']}".lower()
        return next(
            (c for c in self.world.containers(Provider.github) if c.key.lower() == wanted), None
        )

    def visible_ticket(self, repo: Container, number: int, account: Account) -> FakeTicket | None:
        ticket = self.world.ticket_by_number(Provider.github, repo.id, number)
        if ticket is None or not ticket.visible_to(account.account_id):
            return None
        return ticket

    def issue_at(
        self, request: Request, account: Account
    ) -> tuple[Container, FakeTicket] | Response:
        """The repository and issue of the path's `{number}` that `account` may act on, or
        GitHub's answer: 404 for a missing, hidden or moved issue, 410 for a deleted one."""
        repo = self.repo(request)
        ticket = self.visible_ticket(repo, request.path_params["number"], account) if repo else None
        if repo is None or ticket is None or ticket.transferred_to:
            return github_error(404, "Not Found")
        if ticket.deleted:
            return github_error(410, "This issue was deleted")
        return repo, ticket

    def visible_tickets(self, repo: Container, account: Account) -> list[FakeTicket]:
        """The repository's issues and pull requests `account` can see (not deleted or moved)."""
        return [
            t
            for t in self.world.tickets(Provider.github, repo.key, limit=1_000_000)
            if not t.deleted and t.transferred_to is None and t.visible_to(account.account_id)
        ]


def api_base(request: Request) -> str:
    """The API root the request came to (`https://api.github.com`, `http://h:p/api/v3`)."""
    url = request.url
    return f"{url.scheme}://{url.netloc}{request.scope.get('root_path', '')}".rstrip("/")


async def json_body(request: Request) -> Any | Response:
    """The request's JSON body, or GitHub's 400 for one that does not parse."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        return github_error(400, "Problems parsing JSON")


def page(request: Request, items: Sequence[T]) -> tuple[list[T], dict[str, str]]:
    """One page of `items` by `per_page`/`page`, with GitHub's `Link` header when it pages."""
    per_page = _int(request.query_params.get("per_page"), _PER_PAGE)
    per_page = max(1, min(per_page, _MAX_PER_PAGE))
    number = max(1, _int(request.query_params.get("page"), 1))
    last = max(1, -(-len(items) // per_page))
    chosen = list(items[(number - 1) * per_page : number * per_page])
    links = []
    if number < last:
        links += [(number + 1, "next"), (last, "last")]
    if number > 1:
        links = [(1, "first"), (min(number - 1, last), "prev"), *links]
    if not links:
        return chosen, {}
    root = str(request.url).split("?", 1)[0]
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    header = ", ".join(
        f'<{root}?{urlencode([*params, ("page", str(n))])}>; rel="{rel}"' for n, rel in links
    )
    return chosen, {"link": header}


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
