"""The proxy's journal page (`/__proxy/`), in the dashboard's style and with its stylesheet.

The page lists the exchanges that broke the contract or went unchecked, newest first; the same
data is JSON at `/__proxy/journal`. It reloads itself every few seconds without a script.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from kitty_mock_saas.dashboard.html import Html, badge, code, join, table, tag, time_cell
from kitty_mock_saas.dashboard.page import render_page

PAGE = "/__proxy/"
JOURNAL = "/__proxy/journal"
STATIC = "/__proxy/static"
_LINKS = ((PAGE, "Contract findings"), (JOURNAL, "journal (JSON)"))
_REFRESH = '<meta http-equiv="refresh" content="5">'


def stylesheet() -> bytes:
    """The dashboard's own stylesheet, served by the proxy so the page loads nothing remote."""
    return (files("kitty_mock_saas.dashboard") / "static" / "dashboard.css").read_bytes()


def journal_page(report: dict[str, Any]) -> str:
    def stat(label: str, value: object, tone: str = "") -> Html:
        shown = badge(value, tone) if tone and value else value
        return tag(
            "div",
            tag("span", shown, class_="stat-value"),
            tag("span", label, class_="stat-label"),
            class_="stat",
        )

    summary = tag(
        "section",
        tag(
            "div",
            stat("exchanges", report["exchanges"]),
            stat("broke the contract", report["violating_exchanges"], "bad"),
            stat("passed on unchecked", report["unchecked_exchanges"], "warn"),
            class_="stats",
        ),
        id="summary",
        class_="summary",
    )
    rows = [(str(index), _cells(entry)) for index, entry in enumerate(report["violations"])]
    findings = tag(
        "section",
        tag(
            "header",
            tag("h2", "Findings"),
            tag("span", len(rows), class_="count"),
            tag("p", "upstream ", code(report["upstream"]), class_="note"),
        ),
        table(
            ("at", "request", "operation", "status", "findings"),
            reversed(rows),
            empty="No exchange has broken the contract yet.",
        ),
        id="requests",
        class_="card",
    )
    page = render_page(
        title="kitty proxy: contract findings",
        active=PAGE,
        body=tag("main", summary, findings, id="dashboard"),
        links=_LINKS,
        static_prefix=STATIC,
        kind="proxy",
    )
    return page.replace("</title>", "</title>" + _REFRESH, 1)


def _cells(entry: dict[str, Any]) -> list[object]:
    status = entry["status"]
    tone = "bad" if status >= 500 else "warn" if status >= 400 else "ok"
    if entry["strict_refusal"]:
        status_cell = join([badge(status, tone), " ", badge("refused", "bad")])
    else:
        status_cell = badge(status, tone)
    notes = [tag("li", badge(f["direction"], "info"), " ", f["message"]) for f in entry["findings"]]
    if entry.get("unchecked"):
        notes.append(tag("li", badge("unchecked", "warn"), " ", entry["unchecked"]))
    return [
        time_cell(entry["at"]),
        join([tag("span", entry["method"], class_="method"), " ", code(entry["path"])]),
        code(entry["operation_id"] or "(none)"),
        status_cell,
        tag("ul", *notes, class_="reason"),
    ]
