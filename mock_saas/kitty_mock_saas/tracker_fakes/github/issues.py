"""Issues: the repository list (filters, sort, pages), get (301 moved, 410 deleted), `PATCH`
(only the fields sent change) and create."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kitty_contracts import Provider, StatusCategory
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kitty_mock_saas.tracker_fakes.world.edits import TicketChanges
from kitty_mock_saas.tracker_fakes.world.models import Account, Container, FakeTicket

from .context import DOCS, FakeContext, github_error, json_body, page, validation_failed
from .issue_render import issue_payload
from .render import issue_state

__all__ = ["IssueRoutes", "closing_status"]

_SORTS = {
    "created": lambda t: t.created_at,
    "updated": lambda t: t.updated_at,
}
_STATE_REASONS = {"completed", "not_planned", "duplicate", "reopened", None}


def closing_status(state: str, reason: str | None) -> tuple[StatusCategory, str, str | None]:
    """The world status for a GitHub `state` (+ `state_reason`)."""
    if state == "open":
        return StatusCategory.todo, "Open", "reopened"
    if reason in ("not_planned", "duplicate"):
        name = "Closed as not planned" if reason == "not_planned" else "Closed as duplicate"
        return StatusCategory.canceled, name, reason
    return StatusCategory.done, "Closed", "completed"


class IssueRoutes(FakeContext):
    async def list_issues(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        repo = self.repo(request)
        if repo is None:
            return github_error(404, "Not Found")
        chosen = self._filtered(request, self.visible_tickets(repo, account))
        if isinstance(chosen, Response):
            return chosen
        render = self.render(request)
        shown, headers = page(request, chosen)
        body = [issue_payload(render, t, repo) for t in shown]
        return JSONResponse([self.payload("issue", b) for b in body], headers=headers)

    def _filtered(self, request: Request, tickets: list[FakeTicket]) -> list[FakeTicket] | Response:
        query = request.query_params
        state = query.get("state", "open")
        if state not in ("open", "closed", "all"):
            return validation_failed("Issue", "state", "invalid", value=state)
        if state != "all":
            tickets = [t for t in tickets if issue_state(t)[0] == state]
        if query.get("labels"):
            wanted = {n.strip().casefold() for n in query["labels"].split(",") if n.strip()}
            tickets = [t for t in tickets if wanted <= {n.casefold() for n in t.labels}]
        if "since" in query:
            since = _timestamp(query["since"])
            if since is None:
                return validation_failed("Issue", "since", "invalid", value=query["since"])
            tickets = [t for t in tickets if t.updated_at >= since]
        for name, account_of in (("assignee", "assignee"), ("creator", "reporter")):
            if name in query:
                tickets = self._by_person(tickets, account_of, query[name])
        if query.get("milestone") == "*":
            tickets = []  # the world has no milestones
        sort = query.get("sort", "created")
        if sort == "comments":
            counts = {t.key: len(self.world.comments(Provider.github, t.key)) for t in tickets}
            return sorted(
                tickets, key=lambda t: counts[t.key], reverse=query.get("direction") != "asc"
            )
        if sort not in _SORTS:
            return validation_failed("Issue", "sort", "invalid", value=sort)
        return sorted(tickets, key=_SORTS[sort], reverse=query.get("direction", "desc") != "asc")

    def _by_person(self, tickets: list[FakeTicket], field: str, login: str) -> list[FakeTicket]:
        if login == "*":
            return [t for t in tickets if getattr(t, field) is not None]
        if login == "none":
            return [t for t in tickets if getattr(t, field) is None]
        found = self.world.account_by_login(Provider.github, login)
        wanted = found.account_id if found else None
        return [t for t in tickets if wanted is not None and getattr(t, field) == wanted]

    async def issue(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        repo = self.repo(request)
        if repo is None:
            return github_error(404, "Not Found")
        return self._issue_answer(request, repo, request.path_params["number"], account)

    async def issue_by_repo_id(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        repo = self.world.container(Provider.github, id=request.path_params["repo_id"])
        if repo is None:
            return github_error(404, "Not Found")
        return self._issue_answer(request, repo, request.path_params["number"], account)

    def _resolved(
        self, request: Request, repo: Container, number: int, account: Account
    ) -> FakeTicket | Response:
        """The live issue `number`, or GitHub's answer for a missing, deleted or moved one."""
        ticket = self.visible_ticket(repo, number, account)
        if ticket is None:
            return github_error(404, "Not Found")
        if ticket.deleted:
            return github_error(410, "This issue was deleted")
        if ticket.transferred_to:
            target = self.world.ticket(Provider.github, ticket.transferred_to)
            target_repo = (
                self.world.container(Provider.github, key=target.container_key) if target else None
            )
            if target is None or target_repo is None:
                return github_error(404, "Not Found")
            base = self.render(request).api
            location = f"{base}/repositories/{target_repo.id}/issues/{target.number}"
            return JSONResponse(
                {"message": "Moved Permanently", "url": location, "documentation_url": DOCS},
                status_code=301,
                headers={"location": location},
            )
        return ticket

    def _issue_answer(
        self, request: Request, repo: Container, number: int, account: Account
    ) -> Response:
        ticket = self._resolved(request, repo, number, account)
        if isinstance(ticket, Response):
            return ticket
        return JSONResponse(
            self.payload("issue", issue_payload(self.render(request), ticket, repo))
        )

    async def edit_issue(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        repo = self.repo(request)
        if repo is None:
            return github_error(404, "Not Found")
        ticket = self._resolved(request, repo, request.path_params["number"], account)
        if isinstance(ticket, Response):
            return ticket
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        changes = self._changes(body, repo)
        if isinstance(changes, Response):
            return changes
        now = self.world.clock()
        if "state" in body:
            category, name, reason = closing_status(body["state"], body.get("state_reason"))
            if body["state"] == "open" and ticket.status_category not in (
                StatusCategory.done,
                StatusCategory.canceled,
            ):
                category, name, reason = (
                    ticket.status_category,
                    ticket.status_name,
                    ticket.state_reason,
                )
            self.world.update_status(
                Provider.github,
                ticket.key,
                status_name=name,
                status_category=category,
                state_reason=reason,
                updated_at=now,
                actor=account.account_id,
            )
        if changes:
            self.world.edit_ticket(
                Provider.github,
                ticket.key,
                TicketChanges.of(**changes),
                now=now,
                actor=account.account_id,
            )
        updated = self.world.ticket(Provider.github, ticket.key)
        assert updated is not None  # it was there a moment ago
        return JSONResponse(
            self.payload("issue", issue_payload(self.render(request), updated, repo))
        )

    def _changes(self, body: Any, repo: Container) -> dict[str, Any] | Response:
        """The world changes an issue body asks for (create and edit), or GitHub's 422."""
        if not isinstance(body, dict):
            return github_error(422, "Invalid request. The request body must be a JSON object.")
        changes: dict[str, Any] = {}
        if "title" in body:
            title = body["title"]
            if (
                not isinstance(title, str | int)
                or isinstance(title, bool)
                or not str(title).strip()
            ):
                return validation_failed("Issue", "title", "missing_field")
            changes["title"] = str(title)
        if "body" in body:
            if body["body"] is not None and not isinstance(body["body"], str):
                return validation_failed("Issue", "body", "invalid")
            changes["body_markdown"] = body["body"]
        if "state" in body and body["state"] not in ("open", "closed"):
            return validation_failed("Issue", "state", "invalid", value=str(body["state"]))
        if body.get("state_reason") not in _STATE_REASONS:
            return validation_failed("Issue", "state_reason", "invalid")
        if "labels" in body:
            labels = _names(body["labels"], "name")
            if labels is None:
                return validation_failed("Issue", "labels", "invalid")
            changes["labels"] = tuple(labels)
        if "assignees" in body or "assignee" in body:
            wanted = body.get("assignees")
            if wanted is None:
                wanted = [] if body.get("assignee") is None else [body["assignee"]]
            logins = _names(wanted, "login")
            if logins is None:
                return validation_failed("Issue", "assignees", "invalid")
            accounts = [self.world.account_by_login(Provider.github, login) for login in logins]
            for login, found in zip(logins, accounts, strict=True):
                if found is None or found.is_app:
                    return validation_failed("Issue", "assignees", "invalid", value=login)
            # The world keeps one assignee per ticket: the first one named.
            changes["assignee"] = accounts[0].account_id if accounts and accounts[0] else None
        if body.get("milestone") is not None:
            return validation_failed("Issue", "milestone", "invalid", value=str(body["milestone"]))
        return changes

    async def add_assignees(self, request: Request) -> Response:
        return await self._assignees(request, add=True)

    async def remove_assignees(self, request: Request) -> Response:
        return await self._assignees(request, add=False)

    async def _assignees(self, request: Request, *, add: bool) -> Response:
        """Add (201) or remove (200) assignees; the world keeps one, the first one named."""
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        repo = self.repo(request)
        if repo is None:
            return github_error(404, "Not Found")
        ticket = self._resolved(request, repo, request.path_params["number"], account)
        if isinstance(ticket, Response):
            return ticket
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        logins = _names(body.get("assignees", []) if isinstance(body, dict) else None, "login")
        if logins is None:
            return validation_failed("Issue", "assignees", "invalid")
        current = self.render(request).login(ticket.assignee) if ticket.assignee else None
        if add:
            wanted = [current] if current else logins[:1]
        else:
            gone = {login.casefold() for login in logins}
            wanted = [current] if current and current.casefold() not in gone else []
        changes = self._changes({"assignees": wanted}, repo)
        if isinstance(changes, Response):
            return changes
        self.world.edit_ticket(
            Provider.github, ticket.key, TicketChanges.of(**changes), actor=account.account_id
        )
        updated = self.world.ticket(Provider.github, ticket.key) or ticket
        payload = issue_payload(self.render(request), updated, repo)
        return JSONResponse(self.payload("issue", payload), status_code=201 if add else 200)

    async def create_issue(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        repo = self.repo(request)
        if repo is None:
            return github_error(404, "Not Found")
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        if not isinstance(body, dict) or "title" not in body:
            return validation_failed("Issue", "title", "missing_field")
        changes = self._changes(
            {k: v for k, v in body.items() if k not in ("state", "state_reason")}, repo
        )
        if isinstance(changes, Response):
            return changes
        created = self.world.create_ticket(
            Provider.github,
            repo.key,
            title=changes["title"],
            body_markdown=changes.get("body_markdown"),
            author=account.account_id,
            labels=changes.get("labels", ()),
            assignee=changes.get("assignee"),
        )
        payload = issue_payload(self.render(request), created, repo)
        return JSONResponse(
            self.payload("issue", payload), status_code=201, headers={"location": payload["url"]}
        )


def _names(values: Any, key: str) -> list[str] | None:
    """Names from a list of strings or of objects with `key`; None when it is neither."""
    if not isinstance(values, list):
        return None
    names = []
    for value in values:
        name = value.get(key) if isinstance(value, dict) else value
        if not isinstance(name, str) or not name.strip():
            return None
        names.append(name)
    return names


def _timestamp(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
