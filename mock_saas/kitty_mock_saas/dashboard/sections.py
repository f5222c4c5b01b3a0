"""The dashboard's sections, each rendered from a snapshot into one `<section>` element.

Every section has a stable `id`; the page's poller swaps sections whose markup changed, and table
rows carry a `data-key` so it can highlight the rows that are new since the last poll.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .html import Html, badge, code, join, table, tag, time_cell
from .snapshot import Container, DashboardSnapshot, Row

PROVIDERS = ("jira", "linear", "github")
_STATUS_TONES = {
    "todo": "neutral",
    "backlog": "neutral",
    "in_progress": "info",
    "done": "ok",
    "canceled": "muted",
}
_RECEIPT_TONES = {"accepted": "ok", "duplicate": "info", "rejected": "bad"}


def _section(section_id: str, title: str, count: object, body: Html, *, note: str = "") -> Html:
    heading = tag(
        "header",
        tag("h2", title),
        tag("span", count, class_="count") if count != "" else "",
        tag("p", note, class_="note") if note else "",
    )
    return tag("section", heading, body, id=section_id, class_="card")


def provider_badge(provider: object) -> Html:
    """The provider's name in its colour."""
    return badge(provider, f"provider-{provider}" if provider in PROVIDERS else "neutral")


def plural(count: int, noun: str) -> str:
    """`1 ticket`, `2 tickets`."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _http_tone(status: int) -> str:
    if status >= 500:
        return "bad"
    if status >= 400:
        return "warn"
    return "ok"


def summary(snapshot: DashboardSnapshot) -> Html:
    """The headline numbers."""

    def stat(label: str, value: object, detail: object = "") -> Html:
        return tag(
            "div",
            tag("span", value, class_="stat-value"),
            tag("span", label, class_="stat-label"),
            tag("span", detail, class_="stat-detail") if detail != "" else "",
            class_="stat",
        )

    events_detail = join(
        [
            badge(f"{snapshot.receipt_count('accepted')} ok", "ok", title="accepted"),
            badge(f"{snapshot.receipt_count('duplicate')} dup", "info", title="duplicate"),
            badge(f"{snapshot.receipt_count('rejected')} rej", "bad", title="rejected"),
        ],
        " ",
    )
    faults = len(snapshot.faults)
    body = tag(
        "div",
        stat("teams", len(snapshot.teams)),
        stat("users", len(snapshot.users)),
        stat("resource mappings", len(snapshot.resource_mappings)),
        stat(
            "tickets", snapshot.ticket_total, f"in {plural(len(snapshot.containers), 'container')}"
        ),
        stat("origin links", snapshot.shown(snapshot.origin_links)),
        stat("events", snapshot.shown(snapshot.event_receipts), events_detail),
        stat("recent requests", snapshot.shown(snapshot.requests)),
        stat("active faults", faults, badge("injecting", "bad") if faults else ""),
        class_="stats",
    )
    return tag("section", body, id="summary", class_="summary")


def origin_links(snapshot: DashboardSnapshot) -> Html:
    """Mission → ticket links, newest first."""

    def cells(link: Row) -> list[object]:
        mission = join(
            [
                tag("strong", link.get("mission_slug") or "(no slug)"),
                tag("div", code(link["mission_id"]), class_="sub"),
            ]
        )
        ticket = join(
            [
                provider_badge(link["provider"]),
                " ",
                tag(
                    "a",
                    link["external_issue_key"],
                    href=link["external_issue_url"],
                    target="_blank",
                    rel="noreferrer noopener",
                    class_="ticket-key",
                ),
                tag("div", link["external_title"], class_="sub"),
            ]
        )
        status = link.get("external_status")
        return [
            time_cell(link["bound_at"]),
            mission,
            ticket,
            badge(status) if status else "",
            tag("span", link["bound_by"], class_="sub"),
            code(link.get("idempotency_key") or "—"),
        ]

    rows = [(str(link["origin_link_id"]), cells(link)) for link in snapshot.origin_links]
    body = table(
        ["bound", "mission", "ticket", "status", "by", "idempotency key"],
        rows,
        empty=join(
            ["No mission is bound yet. Bind one with the client or ", code("make demo"), "."]
        ),
    )
    return _section("origin-links", "Origin links", snapshot.shown(rows), body)


def received_events(snapshot: DashboardSnapshot) -> Html:
    """Event receipts: one per delivered event, with the outcome and the rejection reason."""

    def cells(receipt: Row) -> list[object]:
        status = str(receipt["status"])
        reason = receipt.get("reason")
        outcome = join([badge(status, _RECEIPT_TONES.get(status, "neutral"))])
        if reason:
            outcome = join([outcome, tag("div", reason, class_="sub reason")])
        event_id = str(receipt["event_id"])
        return [
            time_cell(receipt["received_at"]),
            code(receipt.get("event_type") or "(none)"),
            snapshot.event_missions.get(event_id, ""),
            outcome,
            code(event_id),
        ]

    rows = [
        (f"{r['event_id']}:{r['status']}:{r['received_at']}", cells(r))
        for r in snapshot.event_receipts
    ]
    body = table(
        ["received", "type", "mission", "outcome", "event id"],
        rows,
        empty=join(
            ["No events received yet; ", code("flush_events"), " delivers the queued ones."]
        ),
    )
    return _section("events", "Received events", snapshot.shown(rows), body)


def request_log(snapshot: DashboardSnapshot) -> Html:
    """The newest API and admin requests (the dashboard's own polling is left out)."""

    def cells(request: Row) -> list[object]:
        status = int(request["status"])
        return [
            time_cell(request["at"]),
            tag("span", request["method"], class_="method"),
            code(request["path"]),
            badge(status, _http_tone(status)),
            tag("span", f"{float(request['latency_ms']):.1f} ms", class_="num"),
            code(request["error_code"]) if request.get("error_code") else "",
            tag("span", request.get("user_id") or "", class_="sub"),
        ]

    rows = [(str(r["seq"]), cells(r)) for r in snapshot.requests]
    body = table(
        ["at", "method", "path", "status", "latency", "error code", "user"],
        rows,
        empty="No API request yet.",
        class_="compact",
    )
    return _section("requests", "Request log", snapshot.shown(rows), body, note="newest first")


def active_faults(snapshot: DashboardSnapshot) -> Html:
    """Fault injections in force (set through the admin API or `Prefer`)."""

    def cells(fault: Row) -> list[object]:
        params = fault.get("params") or {}
        shown = join((code(f"{k}={v}") for k, v in sorted(params.items())), " ")
        remaining = fault.get("remaining")
        return [
            badge(fault["kind"], "bad"),
            shown,
            "until cleared" if remaining is None else f"{remaining} more",
            time_cell(fault["created_at"]),
        ]

    rows = [(str(f["id"]), cells(f)) for f in snapshot.faults]
    body = table(
        ["kind", "parameters", "remaining", "since"],
        rows,
        empty="None: every request is answered normally.",
    )
    return _section("faults", "Active faults", len(rows), body)


def _container(container: Container) -> Html:
    def cells(ticket: Row) -> list[object]:
        category = str(ticket.get("status_category") or "")
        flags = []
        if ticket.get("is_pull_request"):
            flags.append(badge("PR", "muted"))
        if ticket.get("deleted"):
            flags.append(badge("deleted", "bad"))
        if ticket.get("restricted_to"):
            flags.append(badge("restricted", "warn", title=", ".join(ticket["restricted_to"])))
        key = str(ticket["key"])
        # GitHub keys repeat the repository the card already names: show `#11`, not `acme/web#11`.
        short = key[len(container.key) :] if key.startswith(f"{container.key}#") else key
        return [
            tag("code", short, title=key),
            join([tag("span", ticket["title"]), " ", *flags]),
            badge(ticket["status"], _STATUS_TONES.get(category, "neutral")),
        ]

    shown = len(container.tickets)
    more = container.ticket_count - shown
    title = join(
        [
            provider_badge(container.provider),
            " ",
            tag("strong", container.name),
            " ",
            code(container.key),
            tag("span", plural(container.ticket_count, "ticket"), class_="count"),
        ]
    )
    rows = [(f"{container.provider}:{t['key']}", cells(t)) for t in container.tickets]
    body = table(["key", "title", "status"], rows, empty="No tickets.", class_="compact")
    footer = tag("p", f"… and {more} more", class_="more") if more > 0 else Html("")
    return tag("div", tag("h3", title), body, footer, class_="container")


def tickets(snapshot: DashboardSnapshot) -> Html:
    """Tickets per project / team / repository, the newest first."""
    body = tag("div", *(_container(c) for c in snapshot.containers), class_="containers")
    return _section(
        "tickets",
        "Tickets",
        snapshot.ticket_total,
        body,
        note="per Jira project, Linear team and GitHub repository; newest first",
    )


def directory(snapshot: DashboardSnapshot) -> Html:
    """Teams and users, and which users have linked identities for which provider."""
    team_rows = [
        (
            str(t["id"]),
            [code(t["slug"]), t["name"], badge("private", "muted") if t["is_private"] else ""],
        )
        for t in snapshot.teams
    ]

    def identities(user: Row) -> Html:
        linked = set(user.get("linked_providers") or [])
        return join(
            (
                provider_badge(p)
                if p in linked
                else badge(p, "off", title=f"no linked {p} identity")
                for p in PROVIDERS
            ),
            " ",
        )

    user_rows = [
        (
            str(u["id"]),
            [
                join([tag("strong", u["name"]), tag("div", u["email"], class_="sub")]),
                join((code(t) for t in u.get("teams") or []), " "),
                identities(u),
            ],
        )
        for u in snapshot.users
    ]
    body = tag(
        "div",
        tag("div", tag("h3", "Teams"), table(["slug", "name", ""], team_rows, empty="No teams.")),
        tag(
            "div",
            tag("h3", "Users"),
            table(["user", "teams", "linked identities"], user_rows, empty="No users."),
        ),
        class_="split",
    )
    return _section("directory", "Teams and users", f"{len(team_rows)} / {len(user_rows)}", body)


def resource_mappings(snapshot: DashboardSnapshot) -> Html:
    """Which Spec Kitty project of which team maps to which tracker resource."""
    teams = {t["id"]: t["slug"] for t in snapshot.teams}
    rows = [
        (
            f"{m['team_id']}:{m['provider']}:{m['project_slug']}",
            [
                code(teams.get(m["team_id"], m["team_id"])),
                code(m["project_slug"]),
                code(m.get("binding_ref") or "—"),
                provider_badge(m["provider"]),
                m["resource_type"],
                code(m["resource_id"]),
                code(m["container_key"]),
            ],
        )
        for m in snapshot.resource_mappings
    ]
    body = table(
        ["team", "project", "binding ref", "provider", "resource type", "resource id", "container"],
        rows,
        empty="No resource mappings.",
    )
    return _section("mappings", "Resource mappings", len(rows), body)


SECTIONS: dict[str, Callable[[DashboardSnapshot], Html]] = {
    "summary": summary,
    "origin-links": origin_links,
    "events": received_events,
    "faults": active_faults,
    "requests": request_log,
    "tickets": tickets,
    "directory": directory,
    "mappings": resource_mappings,
}


def render_sections(snapshot: DashboardSnapshot, names: Iterable[str] = SECTIONS) -> Html:
    """The named sections in page order."""
    return join(SECTIONS[name](snapshot) for name in names)
