"""Linear's lists: users, teams, workflow states, labels, comments and issues, filtered,
ordered and paginated.

Issues are narrowed first by what a filter pins down exactly (an id or identifier, a team, a
team and number), then every remaining issue the caller can see is matched against the whole
filter. Lists are ordered newest first by `orderBy` (`createdAt` unless `updatedAt`); lists the
world keeps no times for (users, teams, states, labels) keep the world's order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kitty_mock_saas.tracker_fakes._common import decode_cursor, encode_cursor
from kitty_mock_saas.tracker_fakes.world.models import Comment, Container, FakeTicket, Label

from . import nodes
from .context import PROVIDER, LinearContext
from .errors import LinearError
from .pages import MAX_PAGE, connection, connection_of, page_window
from .workflow import WORKFLOW, state_id

__all__ = [
    "comment_connection",
    "issue_connection",
    "label_connection",
    "relation_connection",
    "search_connection",
    "state_connection",
    "team_connection",
    "user_connection",
    "visible_comments",
]

Json = dict[str, Any]
_BATCH = 1000
# The most hits a search with a filter beyond a team ranks and filters (Linear caps search too).
_SEARCH_WINDOW = 1000


def user_connection(ctx: LinearContext, args: Json) -> Json:
    users = ctx.world.accounts(PROVIDER)
    kept = _kept(ctx, args, "UserFilter", users, lambda u: nodes.user_view(u, ctx.account))
    return connection(
        kept, args, node=lambda u: nodes.user_node(ctx, u), cursor=lambda u: u.account_id
    )


def team_connection(ctx: LinearContext, args: Json) -> Json:
    kept = _kept(ctx, args, "TeamFilter", ctx.teams(), nodes.team_view)
    return connection(kept, args, node=lambda t: nodes.team_node(ctx, t), cursor=lambda t: t.id)


def state_connection(ctx: LinearContext, args: Json, team: Container | None = None) -> Json:
    pairs = [(t, s) for t in ([team] if team else ctx.teams()) for s in WORKFLOW]
    kept = _kept(ctx, args, "WorkflowStateFilter", pairs, lambda p: nodes.state_view(*p))
    return connection(
        kept,
        args,
        node=lambda p: nodes.state_node(ctx, *p),
        cursor=lambda p: state_id(p[0].id, p[1].name),
    )


def label_connection(
    ctx: LinearContext,
    args: Json,
    *,
    team: Container | None = None,
    ticket: FakeTicket | None = None,
) -> Json:
    if ticket is not None:
        found = (ctx.world.label(PROVIDER, ticket.container_id, n) for n in ticket.labels)
        labels: list[Label] = [label for label in found if label is not None]
    else:
        teams = [team] if team is not None else ctx.teams()
        labels = [label for t in teams for label in ctx.world.labels(PROVIDER, t.id)]
    kept = _kept(
        ctx,
        args,
        "IssueLabelFilter",
        labels,
        lambda label: nodes.label_view(label, ctx.team(label.container_id)),
    )
    return connection(
        kept, args, node=lambda label: nodes.label_node(ctx, label), cursor=lambda found: found.id
    )


def visible_comments(
    ctx: LinearContext, ticket: FakeTicket | None
) -> list[tuple[Comment, FakeTicket]]:
    """The comments of `ticket` (None: of every issue the caller can see), with their issue."""
    tickets = [ticket] if ticket is not None else list(_candidates(ctx, {}, None))
    return [(c, t) for t in tickets for c in ctx.world.comments(PROVIDER, t.key)]


def comment_connection(ctx: LinearContext, args: Json, *, ticket: FakeTicket | None = None) -> Json:
    pairs = visible_comments(ctx, ticket)
    kept = _kept(ctx, args, "CommentFilter", pairs, lambda p: nodes.comment_view(ctx, p[0]))
    field = "updated_at" if args.get("orderBy") == "updatedAt" else "created_at"
    kept.sort(key=lambda p: (getattr(p[0], field), p[0].id), reverse=True)
    return connection(
        kept,
        args,
        node=lambda p: nodes.comment_node(ctx, p[0], p[1]),
        cursor=lambda p: p[0].id,
    )


def relation_connection(ctx: LinearContext, args: Json, ticket: FakeTicket, end: str) -> Json:
    """The relations `ticket` is the issue of (`end="from"`) or the related issue of ("to")."""
    links = [
        link
        for link in ctx.world.links(PROVIDER, ticket.key)
        if (link.from_key if end == "from" else link.to_key) == ticket.key
        and ctx.find_issue(link.to_key if end == "from" else link.from_key) is not None
    ]
    links.sort(key=lambda link: (link.created_at, link.id), reverse=True)
    return connection(
        links, args, node=lambda link: nodes.relation_node(ctx, link), cursor=lambda found: found.id
    )


def issue_connection(
    ctx: LinearContext,
    args: Json,
    *,
    team: Container | None = None,
    scope: Json | None = None,
) -> Json:
    """Issues matching `args["filter"]` and `scope` (the filter a parent object implies)."""
    condition: Json = args.get("filter") or {}
    if scope:
        condition = {"and": [scope, condition]} if condition else scope
    kept = [
        ticket for ticket in _candidates(ctx, condition, team) if _matches(ctx, condition, ticket)
    ]
    _order(kept, args)
    return connection(kept, args, node=lambda t: nodes.issue_node(ctx, t), cursor=lambda t: t.id)


def search_connection(ctx: LinearContext, args: Json, term: str, *, search_result: bool) -> Json:
    """`searchIssues` / `issueSearch`: best match first; `teamId` only boosts, so it is ignored."""
    condition = args.get("filter") or {}
    team_filter = _only_team(ctx, condition)
    plain = args.get("last") is None and args.get("before") is None and not args.get("orderBy")
    if plain and team_filter is not None:
        return _ranked_page(ctx, args, term, team_filter, search_result=search_result)
    hits = ctx.world.search(PROVIDER, None, term, account_id=ctx.account, limit=_SEARCH_WINDOW)
    kept = [t for t in hits.tickets if _matches(ctx, condition, t)]
    if args.get("orderBy"):
        _order(kept, args)
    return connection(
        kept,
        args,
        node=lambda t: nodes.issue_node(ctx, t, search_result=search_result),
        cursor=lambda t: t.id,
        total=len(kept) if search_result else None,
    )


def _matches(ctx: LinearContext, condition: Json, ticket: FakeTicket) -> bool:
    return not condition or bool(
        ctx.filters.select(condition, "IssueFilter", [nodes.issue_view(ctx, ticket)])
    )


def _ranked_page(
    ctx: LinearContext, args: Json, term: str, team: Container | bool, *, search_result: bool
) -> Json:
    """One page straight from the world's text index (no filter beyond a team)."""
    team_id = team.id if isinstance(team, Container) else None
    query = f"{term}|{team_id or '*'}"
    offset = 0
    if args.get("after"):
        decoded = decode_cursor(str(args["after"]), query)
        if decoded is None:
            raise LinearError.invalid_input("after is not a cursor of this search")
        offset = decoded + 1
    start, end = page_window(MAX_PAGE, {"first": args.get("first")}, lambda _: None)
    hits = ctx.world.search(
        PROVIDER, team_id, term, account_id=ctx.account, limit=end - start, offset=offset
    )
    return connection_of(
        [nodes.issue_node(ctx, t, search_result=search_result) for t in hits.tickets],
        [encode_cursor(offset + i, query) for i in range(len(hits.tickets))],
        has_previous=offset > 0,
        has_next=offset + len(hits.tickets) < hits.total,
        total=hits.total if search_result else None,
    )


def _only_team(ctx: LinearContext, condition: Mapping[str, Any]) -> Container | bool | None:
    """The team a filter of nothing but `team: {id|key: {eq}}` names (True: no filter at all;
    None: the filter says more, names its team another way, or names no team)."""
    if not condition:
        return True
    team_filter = condition.get("team")
    if set(condition) != {"team"} or not isinstance(team_filter, Mapping) or len(team_filter) != 1:
        return None
    ((field, comparator),) = team_filter.items()
    if (
        field not in ("id", "key")
        or not isinstance(comparator, Mapping)
        or set(comparator) != {"eq"}
    ):
        return None
    if field == "id":
        return ctx.world.container(PROVIDER, id=str(comparator["eq"]))
    return ctx.world.container(PROVIDER, key=str(comparator["eq"]))


def _candidates(
    ctx: LinearContext, condition: Mapping[str, Any], team: Container | None
) -> Iterator[FakeTicket]:
    """The visible issues that may match: all of them, or those the filter pins down."""
    hints = _hints(condition)
    teams = [team] if team is not None else ctx.teams()
    if "team.id" in hints:
        teams = [t for t in teams if t.id == hints["team.id"]]
    if "team.key" in hints:
        teams = [t for t in teams if t.key == hints["team.key"]]
    if "id" in hints:
        ticket = ctx.find_issue(str(hints["id"]))
        if ticket is not None and any(t.id == ticket.container_id for t in teams):
            yield ticket
        return
    number = hints.get("number")
    if isinstance(number, int | float) and float(number).is_integer():
        for t in teams:
            found = ctx.visible(ctx.world.ticket_by_number(PROVIDER, t.id, int(number)))
            if found is not None:
                yield found
        return
    for t in teams:
        total = ctx.world.count_tickets(PROVIDER, t.key)
        for offset in range(0, total, _BATCH):
            for ticket in ctx.world.tickets(PROVIDER, t.key, limit=_BATCH, offset=offset):
                if ctx.visible(ticket) is not None:
                    yield ticket


def _hints(condition: Mapping[str, Any]) -> dict[str, Any]:
    """Equalities the filter requires of every match: `id`, `number`, `team.id`, `team.key`."""
    hints: dict[str, Any] = {}
    for part in condition.get("and") or ():
        if isinstance(part, Mapping):
            hints.update(_hints(part))
    for path in (("id",), ("number",), ("team", "id"), ("team", "key")):
        node: Any = condition
        for step in path:
            node = node.get(step) if isinstance(node, Mapping) else None
        if isinstance(node, Mapping) and node.get("eq") is not None:
            hints[".".join(path)] = node["eq"]
    return hints


def _kept(ctx: LinearContext, args: Json, type_name: str, items: list[Any], view: Any) -> list[Any]:
    condition = args.get("filter")
    if not condition:
        return list(items)
    return [item for item in items if ctx.filters.select(condition, type_name, [view(item)])]


def _order(tickets: list[FakeTicket], args: Json) -> None:
    if args.get("orderBy") == "updatedAt":
        tickets.sort(key=lambda t: (t.updated_at, t.number), reverse=True)
    else:
        tickets.sort(key=lambda t: (t.created_at, t.number), reverse=True)
