"""Tiny HTML building blocks: every value is escaped unless it is already `Html`.

The mock's runtime dependencies carry no template engine, and the pages are small, so markup is
built from these helpers. Escaping is the default; only `Html` values pass through untouched.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping


class Html(str):
    """Markup that is already safe: built by these helpers, never from raw input."""

    __slots__ = ()


def esc(value: object) -> Html:
    """`value` as safe markup: `Html` unchanged, None empty, anything else escaped text."""
    if isinstance(value, Html):
        return value
    if value is None:
        return Html("")
    return Html(html.escape(str(value), quote=True))


def join(parts: Iterable[object], sep: str = "") -> Html:
    """Concatenate escaped parts (separator is trusted literal markup)."""
    return Html(sep.join(esc(p) for p in parts))


def attrs(values: Mapping[str, object]) -> Html:
    """` name="value"` pairs; None and False are left out, True is a bare attribute."""
    out: list[str] = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        out.append(f" {name}" if value is True else f' {name}="{esc(value)}"')
    return Html("".join(out))


def tag(name: str, *children: object, **attributes: object) -> Html:
    """`<name attrs>children</name>`; a trailing `_` in an attribute name is dropped (class_)."""
    named = {key.rstrip("_").replace("_", "-"): value for key, value in attributes.items()}
    return Html(f"<{name}{attrs(named)}>{join(children)}</{name}>")


def badge(text: object, tone: str = "neutral", *, title: object = None) -> Html:
    """A small coloured label; `tone` picks the colour class (ok, warn, bad, info, neutral)."""
    return tag("span", text, class_=f"badge badge-{tone}", title=title)


def time_cell(iso: object) -> Html:
    """A timestamp shown as HH:MM:SS, with the full ISO value as tooltip and machine value."""
    if not isinstance(iso, str) or not iso:
        return Html("")
    clock = iso[11:19] if len(iso) >= 19 and iso[10] in "T " else iso
    return tag("time", clock, datetime=iso, title=iso)


def code(text: object) -> Html:
    """Inline code (identifiers, keys, paths)."""
    return tag("code", text)


def table(
    headers: Iterable[str],
    rows: Iterable[tuple[str, Iterable[object]]],
    *,
    empty: object,
    class_: str = "",
) -> Html:
    """A table of `(row_key, cells)`; `row_key` lets the poller spot new rows. `empty` if none."""
    head = join(tag("th", h) for h in headers)
    body_rows = [
        tag("tr", *(tag("td", cell) for cell in cells), data_key=key) for key, cells in rows
    ]
    if not body_rows:
        return tag("p", empty, class_="empty")
    return tag(
        "div",
        tag(
            "table",
            tag("thead", tag("tr", head)),
            tag("tbody", *body_rows),
            class_=("grid " + class_).strip(),
        ),
        class_="table-wrap",
    )
