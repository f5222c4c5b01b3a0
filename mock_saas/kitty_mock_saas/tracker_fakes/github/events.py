"""Issue events: the repository's (newest first, each with its issue), one event, and one
issue's (oldest first), as GitHub's issue events API shows them."""

from __future__ import annotations

from kitty_contracts import Provider
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kitty_mock_saas.tracker_fakes.world.models import Account, FakeTicket, TicketEvent

from .context import FakeContext, github_error, page
from .issue_render import EVENT_KINDS, event_payload

__all__ = ["EventRoutes"]


class EventRoutes(FakeContext):
    def _shown(self, event: TicketEvent, account: Account) -> FakeTicket | None:
        if event.kind not in EVENT_KINDS:
            return None
        ticket = self.world.ticket(Provider.github, event.ticket_key)
        if ticket is None or ticket.deleted or not ticket.visible_to(account.account_id):
            return None
        return ticket

    async def repo_events(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        repo = self.repo(request)
        if repo is None:
            return github_error(404, "Not Found")
        events = self.world.container_events(Provider.github, repo.id, limit=1_000_000)
        pairs = [(e, t) for e in events if (t := self._shown(e, account)) is not None]
        render = self.render(request)
        shown, headers = page(request, pairs)
        return JSONResponse(
            [event_payload(render, e, t, repo, with_issue=True) for e, t in shown], headers=headers
        )

    async def repo_event(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        repo = self.repo(request)
        event = self.world.ticket_event(Provider.github, request.path_params["event_id"])
        ticket = self._shown(event, account) if event else None
        if repo is None or event is None or ticket is None or ticket.container_id != repo.id:
            return github_error(404, "Not Found")
        return JSONResponse(
            event_payload(self.render(request), event, ticket, repo, with_issue=True)
        )

    async def issue_events(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        repo = self.repo(request)
        ticket = self.visible_ticket(repo, request.path_params["number"], account) if repo else None
        if repo is None or ticket is None or ticket.transferred_to:
            return github_error(404, "Not Found")
        if ticket.deleted:
            return github_error(410, "This issue was deleted")
        events = [
            e
            for e in self.world.ticket_events(Provider.github, ticket.key)
            if e.kind in EVENT_KINDS
        ]
        render = self.render(request)
        shown, headers = page(request, events)
        return JSONResponse(
            [event_payload(render, e, ticket, repo, with_issue=False) for e in shown],
            headers=headers,
        )
