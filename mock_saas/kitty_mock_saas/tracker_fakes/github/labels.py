"""Labels: the repository's catalogue (list, get, create) and one issue's labels (list, add,
replace, remove one, remove all). Naming a label the catalogue lacks adds it, as GitHub does."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from kitty_contracts import Provider
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kitty_mock_saas.tracker_fakes.world.edits import TicketChanges
from kitty_mock_saas.tracker_fakes.world.models import Account, Container, FakeTicket

from .context import FakeContext, github_error, json_body, page, validation_failed

__all__ = ["LabelRoutes"]

_COLOR = re.compile(r"^#?[0-9a-fA-F]{6}$")


class LabelRoutes(FakeContext):
    async def repo_labels(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        repo = self.repo(request)
        if repo is None:
            return github_error(404, "Not Found")
        render = self.render(request)
        shown, headers = page(request, self.world.labels(Provider.github, repo.id))
        return JSONResponse([render.label(label, repo) for label in shown], headers=headers)

    async def repo_label(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        repo = self.repo(request)
        name = unquote(request.path_params["name"])
        found = self.world.label(Provider.github, repo.id, name) if repo else None
        if repo is None or found is None:
            return github_error(404, "Not Found")
        return JSONResponse(self.render(request).label(found, repo))

    async def create_label(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        repo = self.repo(request)
        if repo is None:
            return github_error(404, "Not Found")
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        name = body.get("name") if isinstance(body, dict) else None
        if not isinstance(name, str) or not name.strip():
            return validation_failed("Label", "name", "missing_field")
        if self.world.label(Provider.github, repo.id, name) is not None:
            return validation_failed("Label", "name", "already_exists")
        color, description = body.get("color"), body.get("description")
        if color is not None and (not isinstance(color, str) or not _COLOR.match(color)):
            return validation_failed("Label", "color", "invalid")
        if description is not None and not isinstance(description, str):
            return validation_failed("Label", "description", "invalid")
        label = self.world.ensure_label(
            Provider.github,
            repo.id,
            name,
            color=color.lstrip("#").lower() if color else None,
            description=description,
        )
        payload = self.render(request).label(label, repo)
        return JSONResponse(payload, status_code=201, headers={"location": payload["url"]})

    def _labels_answer(self, request: Request, ticket: FakeTicket, repo: Container) -> Response:
        current = self.world.ticket(Provider.github, ticket.key) or ticket
        shown, headers = page(request, self.render(request).labels_of(current, repo))
        return JSONResponse(shown, headers=headers)

    async def issue_labels(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        found = self.issue_at(request, account)
        if isinstance(found, Response):
            return found
        repo, ticket = found
        return self._labels_answer(request, ticket, repo)

    async def add_labels(self, request: Request) -> Response:
        return await self._write_labels(request, replace=False)

    async def set_labels(self, request: Request) -> Response:
        return await self._write_labels(request, replace=True)

    async def _write_labels(self, request: Request, *, replace: bool) -> Response:
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
        names = _label_names(body)
        if names is None:
            return validation_failed("Label", "labels", "invalid")
        if not replace:
            names = [*ticket.labels, *names]
        self._set(ticket, names, account)
        return self._labels_answer(request, ticket, repo)

    async def remove_label(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        found = self.issue_at(request, account)
        if isinstance(found, Response):
            return found
        repo, ticket = found
        name = unquote(request.path_params["name"]).casefold()
        if name not in {n.casefold() for n in ticket.labels}:
            return github_error(404, "Label does not exist")
        self._set(ticket, [n for n in ticket.labels if n.casefold() != name], account)
        return self._labels_answer(request, ticket, repo)

    async def remove_labels(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        found = self.issue_at(request, account)
        if isinstance(found, Response):
            return found
        self._set(found[1], [], account)
        return Response(status_code=204)

    def _set(self, ticket: FakeTicket, names: list[str], account: Account) -> None:
        # The world keeps each name once, spelled as its catalogue does.
        self.world.edit_ticket(
            Provider.github,
            ticket.key,
            TicketChanges.of(labels=tuple(names)),
            actor=account.account_id,
        )


def _label_names(body: Any) -> list[str] | None:
    """The names in any of GitHub's body forms: `{"labels": [...]}`, `[...]` or a string;
    entries are names or `{"name": ...}` objects."""
    if isinstance(body, str):
        body = [body]
    if isinstance(body, dict):
        body = body.get("labels")
    if not isinstance(body, list):
        return None
    names = []
    for entry in body:
        name = entry.get("name") if isinstance(entry, dict) else entry
        if not isinstance(name, str) or not name.strip():
            return None
        names.append(name)
    return names
