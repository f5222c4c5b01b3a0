"""`GET /search/issues`: words (every one must match, as GitHub's advanced search does) and the
qualifiers `repo:`, `org:`/`user:`, `is:`/`type:` (issue, pr, open, closed), `state:`,
`label:`, `author:`, `assignee:`, `no:label|assignee`, `in:title|body`, `created:`/`updated:`
(`>`, `>=`, `<`, `<=`, `a..b`); other qualifiers are ignored. Sort by best match, `created`,
`updated` or `comments`; at most 1,000 results, paged by `per_page`/`page` with `Link`."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from datetime import UTC, datetime

from kitty_contracts import Provider
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kitty_mock_saas.tracker_fakes.world.models import Account, Container, FakeTicket
from kitty_mock_saas.tracker_fakes.world.store import SearchField

from .context import FakeContext, github_error, page, validation_failed
from .issue_render import issue_payload
from .render import issue_state

__all__ = ["SearchRoutes"]

_CAP = 1000
_QUALIFIER = re.compile(r"^(?P<neg>-?)(?P<name>[a-z_]+):(?P<value>.+)$", re.IGNORECASE)
# The qualifiers that narrow a word search beyond what the world's text search does itself.
_NARROWING = {"state", "label", "author", "assignee", "no", "created", "updated"}
Filter = Callable[[FakeTicket], bool]


class SearchRoutes(FakeContext):
    async def search(self, request: Request) -> Response:
        account = self.gate(request, "search")
        if isinstance(account, Response):
            return account
        query = request.query_params.get("q", "")
        try:
            words = shlex.split(query)
        except ValueError:
            return validation_failed("Search", "q", "invalid")
        qualifiers: list[tuple[str, str]] = []
        terms: list[str] = []
        for word in words:
            match = _QUALIFIER.match(word)
            if match and not match.group("neg"):
                qualifiers.append((match.group("name").lower(), match.group("value")))
            elif not match:
                terms.append(word)
        kinds = {v.lower() for k, v in qualifiers if k in ("is", "type")}
        if not kinds & {"issue", "pr", "pull-request"}:
            return github_error(422, "Query must include 'is:issue' or 'is:pull-request'")
        wants_issues, wants_pulls = "issue" in kinds, bool(kinds & {"pr", "pull-request"})
        pull_requests = None if wants_issues and wants_pulls else not wants_issues
        filters = self._filters(qualifiers)
        if isinstance(filters, Response):
            return filters
        repos = self._scope(qualifiers)
        per_page = max(1, min(_int(request.query_params.get("per_page"), 30), 100))
        number = max(1, _int(request.query_params.get("page"), 1))
        if (number - 1) * per_page >= _CAP:
            return github_error(422, "Only the first 1000 search results are available")
        field: SearchField = (
            "title" if dict(qualifiers).get("in", "title,body") == "title" else "all"
        )
        sort = request.query_params.get("sort")
        narrowed = (
            any(k in _NARROWING for k, _ in qualifiers) or sort is not None or len(repos) != 1
        )
        if terms and not narrowed:
            # The connectors' form: the world pages its own ranking.
            hits = self.world.search(
                Provider.github,
                repos[0].id,
                " ".join(terms),
                account_id=account.account_id,
                limit=per_page,
                offset=(number - 1) * per_page,
                field=field,
                pull_requests=pull_requests,
            )
            total, shown = min(hits.total, _CAP), hits.tickets
        else:
            found = self._matching(repos, terms, account, field, pull_requests)
            found = [t for t in found if all(f(t) for f in filters)]
            found = self._sorted(
                found, sort, request.query_params.get("order", "desc"), bool(terms)
            )
            total = min(len(found), _CAP)
            shown = found[(number - 1) * per_page : min(number * per_page, _CAP)]
        return self._answer(request, shown, total, per_page, number)

    def _scope(self, qualifiers: list[tuple[str, str]]) -> list[Container]:
        repos = self.world.containers(Provider.github)
        named = [v.lower() for k, v in qualifiers if k == "repo"]
        owners = [v.lower() for k, v in qualifiers if k in ("org", "user")]
        if named:
            repos = [c for c in repos if c.key.lower() in named]
        if owners:
            repos = [c for c in repos if c.key.split("/", 1)[0].lower() in owners]
        return repos

    def _matching(
        self,
        repos: list[Container],
        terms: list[str],
        account: Account,
        field: SearchField,
        pull_requests: bool | None,
    ) -> list[FakeTicket]:
        found: list[FakeTicket] = []
        for repo in repos:
            if terms:
                hits = self.world.search(
                    Provider.github,
                    repo.id,
                    " ".join(terms),
                    account_id=account.account_id,
                    limit=_CAP,
                    field=field,
                    pull_requests=pull_requests,
                )
                found += hits.tickets
            else:
                found += [
                    t
                    for t in self.visible_tickets(repo, account)
                    if pull_requests is None or t.is_pull_request is pull_requests
                ]
        return found

    def _filters(self, qualifiers: list[tuple[str, str]]) -> list[Filter] | Response:
        filters: list[Filter] = []
        for name, value in qualifiers:
            lowered = value.lower()
            if name in ("is", "state") and lowered in ("open", "closed"):
                filters.append(_state_is(lowered))
            elif name == "label":
                filters.append(_labelled(lowered))
            elif name in ("author", "assignee"):
                found = self.world.account_by_login(Provider.github, value)
                attribute = "reporter" if name == "author" else "assignee"
                filters.append(_person_is(attribute, found.account_id if found else None))
            elif name == "no" and lowered in ("label", "assignee"):
                filters.append(_without(lowered))
            elif name in ("created", "updated"):
                compare = _date_filter(name, value)
                if compare is None:
                    return validation_failed("Search", "q", "invalid", value=f"{name}:{value}")
                filters.append(compare)
        return filters

    def _sorted(
        self, tickets: list[FakeTicket], sort: str | None, order: str, ranked: bool
    ) -> list[FakeTicket]:
        reverse = order != "asc"
        if sort == "created":
            return sorted(tickets, key=lambda t: t.created_at, reverse=reverse)
        if sort == "updated":
            return sorted(tickets, key=lambda t: t.updated_at, reverse=reverse)
        if sort == "comments":
            counts = {t.key: len(self.world.comments(Provider.github, t.key)) for t in tickets}
            return sorted(tickets, key=lambda t: counts[t.key], reverse=reverse)
        # Best match: the world's ranking for words, newest first without them.
        return tickets if ranked else sorted(tickets, key=lambda t: t.created_at, reverse=True)

    def _answer(
        self, request: Request, tickets: list[FakeTicket], total: int, per_page: int, number: int
    ) -> Response:
        render = self.render(request)
        repos = {c.id: c for c in self.world.containers(Provider.github)}
        items = []
        for rank, ticket in enumerate(tickets):
            item = issue_payload(render, ticket, repos[ticket.container_id], search=True)
            item["score"] = round(1.0 / (1 + rank + (number - 1) * per_page), 6)
            items.append(item)
        # `page` builds the Link header over the whole (capped) result set.
        _, headers = page(request, range(total))
        body = {
            "total_count": total,
            "incomplete_results": False,
            "items": items,
            "search_type": "lexical",
        }
        return JSONResponse(self.payload("search", body), headers=headers)


def _state_is(state: str) -> Filter:
    return lambda t: issue_state(t)[0] == state


def _labelled(name: str) -> Filter:
    return lambda t: name in {n.casefold() for n in t.labels}


def _person_is(attribute: str, account_id: str | None) -> Filter:
    return lambda t: account_id is not None and getattr(t, attribute) == account_id


def _without(what: str) -> Filter:
    return lambda t: not t.labels if what == "label" else t.assignee is None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _date_filter(field: str, value: str) -> Filter | None:
    """`created:>=2026-01-01`, `updated:<2026-02-01T10:00:00Z`, `created:2026-01-01..2026-02-01`."""
    match = re.fullmatch(r"(>=|<=|>|<)?(.+)", value)
    assert match is not None
    operator, rest = match.group(1), match.group(2)
    if ".." in rest and operator is None:
        low_text, _, high_text = rest.partition("..")
        low, high = _moment(low_text), _moment(high_text, end=True)
        if low is None or high is None:
            return None
        return lambda t: low <= getattr(t, f"{field}_at") <= high
    moment = _moment(rest, end=operator in ("<=", ">"))
    if moment is None:
        return None
    if operator is None:
        start, end = _moment(rest), _moment(rest, end=True)
        assert start is not None
        assert end is not None
        return lambda t: start <= getattr(t, f"{field}_at") <= end
    compare: dict[str, Callable[[datetime, datetime], bool]] = {
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
    }
    return lambda t: compare[operator](getattr(t, f"{field}_at"), moment)


def _moment(text: str, *, end: bool = False) -> datetime | None:
    """A date or date-time; a bare date stands for its first (or, with `end`, last) second."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = datetime.fromisoformat(text).replace(tzinfo=UTC)
            return day.replace(hour=23, minute=59, second=59) if end else day
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
