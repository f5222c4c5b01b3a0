"""The page shell shared by the dashboard and the API reference: head, top bar, local assets."""

from __future__ import annotations

from .html import Html, esc, tag

STATIC_PREFIX = "/dashboard/static"
NAV = (("/", "Dashboard"), ("/docs", "API reference"), ("/openapi.json", "openapi.json"))


def render_page(
    *,
    title: str,
    active: str,
    body: Html,
    scripts: tuple[str, ...] = (),
    status: Html | None = None,
    links: tuple[tuple[str, str], ...] = NAV,
    static_prefix: str = STATIC_PREFIX,
    kind: str = "mock",
) -> Html:
    """A complete HTML document; every asset it loads is served by the mock (or proxy) itself."""
    nav = tag(
        "nav",
        *(
            tag("a", label, href=href, class_="active" if href == active else None)
            for href, label in links
        ),
    )
    brand = tag(
        "a",
        tag("span", "◆", class_="brand-mark", aria_hidden="true"),
        " Spec Kitty SaaS ",
        tag("span", kind, class_="brand-tag"),
        href=links[0][0],
        class_="brand",
    )
    bar = tag("header", brand, nav, status or "", class_="topbar")
    script_tags = "".join(
        f'<script src="{static_prefix}/{esc(s)}" defer></script>' for s in scripts
    )
    return Html(
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # Nothing leaves the machine: no external fonts, scripts or styles (CSP enforces it).
        '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; '
        "img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'\">"
        f"<title>{esc(title)}</title>"
        '<link rel="icon" href="data:,">'
        f'<link rel="stylesheet" href="{static_prefix}/dashboard.css">'
        f"{script_tags}</head><body>{bar}{body}</body></html>\n"
    )
