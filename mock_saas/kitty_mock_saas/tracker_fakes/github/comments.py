"""Issue comments: one issue's list and create, the repository's list, get and edit one."""

from __future__ import annotations

from kitty_contracts import Provider
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kitty_mock_saas.tracker_fakes.world.models import Account, Comment, Container, FakeTicket

from .context import FakeContext, github_error, json_body, page, validation_failed
from .issue_render import comment_payload
from .issues import _timestamp

__all__ = ["CommentRoutes"]


class CommentRoutes(FakeContext):
    async def issue_comments(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        found = self.issue_at(request, account)
        if isinstance(found, Response):
            return found
        repo, ticket = found
        comments = self.world.comments(Provider.github, ticket.key)
        if "since" in request.query_params:
            since = _timestamp(request.query_params["since"])
            if since is None:
                return validation_failed("IssueComment", "since", "invalid")
            comments = [c for c in comments if c.updated_at >= since]
        render = self.render(request)
        shown, headers = page(request, comments)
        return JSONResponse(
            [comment_payload(render, c, ticket, repo) for c in shown], headers=headers
        )

    async def add_comment(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        found = self.issue_at(request, account)
        if isinstance(found, Response):
            return found
        repo, ticket = found
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        text = body.get("body") if isinstance(body, dict) else None
        if not isinstance(text, str) or not text.strip():
            return validation_failed("IssueComment", "body", "missing_field")
        comment = self.world.add_comment(Provider.github, ticket.key, account.account_id, text)
        payload = comment_payload(self.render(request), comment, ticket, repo)
        return JSONResponse(payload, status_code=201, headers={"location": payload["url"]})

    async def repo_comments(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        repo = self.repo(request)
        if repo is None:
            return github_error(404, "Not Found")
        pairs = [
            (comment, ticket)
            for ticket in self.visible_tickets(repo, account)
            for comment in self.world.comments(Provider.github, ticket.key)
        ]
        query = request.query_params
        if "since" in query:
            since = _timestamp(query["since"])
            if since is None:
                return validation_failed("IssueComment", "since", "invalid")
            pairs = [p for p in pairs if p[0].updated_at >= since]
        sort = query.get("sort", "created")
        if sort not in ("created", "updated"):
            return validation_failed("IssueComment", "sort", "invalid", value=sort)
        pairs.sort(
            key=lambda p: (p[0].created_at if sort == "created" else p[0].updated_at, int(p[0].id)),
            reverse=query.get("direction") == "desc",
        )
        render = self.render(request)
        shown, headers = page(request, pairs)
        return JSONResponse(
            [comment_payload(render, c, t, repo) for c, t in shown], headers=headers
        )

    def _comment(
        self, request: Request, account: Account
    ) -> tuple[Container, Comment, FakeTicket] | Response:
        repo = self.repo(request)
        comment = self.world.comment(Provider.github, str(request.path_params["comment_id"]))
        ticket = self.world.ticket(Provider.github, comment.ticket_key) if comment else None
        if (
            repo is None
            or comment is None
            or ticket is None
            or ticket.container_id != repo.id
            or not ticket.visible_to(account.account_id)
        ):
            return github_error(404, "Not Found")
        return repo, comment, ticket

    async def comment(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        found = self._comment(request, account)
        if isinstance(found, Response):
            return found
        repo, comment, ticket = found
        return JSONResponse(comment_payload(self.render(request), comment, ticket, repo))

    async def edit_comment(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        found = self._comment(request, account)
        if isinstance(found, Response):
            return found
        repo, comment, ticket = found
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        text = body.get("body") if isinstance(body, dict) else None
        if not isinstance(text, str) or not text.strip():
            return validation_failed("IssueComment", "body", "missing_field")
        edited = self.world.edit_comment(Provider.github, comment.id, text)
        return JSONResponse(comment_payload(self.render(request), edited or comment, ticket, repo))
