"""The API reference at `/docs`: `contracts/openapi.yaml` (as bundled in `kitty_contracts`) as one
self-contained HTML page.

Rendered from the same bundled document the mock serves at `/openapi.json`, so it cannot drift
from the contract, and it loads nothing from the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from kitty_contracts.validation import admin_document, openapi_document

from .html import Html, badge, code, join, tag
from .page import render_page
from .schema_view import (
    Schema,
    json_block,
    markdown,
    ref_name,
    schema_anchor,
    schema_body,
    schema_link,
    type_of,
)

ADMIN_DOCS = "/docs/admin"
_METHODS = ("get", "post", "put", "patch", "delete")
_METHOD_TONES = {"get": "info", "post": "ok", "put": "warn", "patch": "warn", "delete": "bad"}


def _resolve(document: Mapping[str, Any], item: Mapping[str, Any]) -> tuple[str | None, Schema]:
    """A `$ref` to `#/components/...` followed once: (component name, target)."""
    ref = item.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/components/"):
        return None, item
    _, _, kind, name = ref.split("/", 3)
    return name, document["components"][kind][name]


def operation_anchor(operation_id: str) -> str:
    """The fragment id of an operation's entry."""
    return f"op-{operation_id}"


def _operations(document: Mapping[str, Any]) -> list[tuple[str, str, Mapping[str, Any]]]:
    return [
        (method, path, item[method])
        for path, item in document["paths"].items()
        for method in _METHODS
        if method in item
    ]


def _parameters(document: Mapping[str, Any], operation: Mapping[str, Any]) -> Html:
    rows = []
    for raw in operation.get("parameters") or []:
        _, param = _resolve(document, raw)
        schema = param.get("schema") or {}
        rows.append(
            tag(
                "tr",
                tag(
                    "td",
                    code(param["name"]),
                    tag("span", "required", class_="req") if param.get("required") else "",
                ),
                tag("td", param["in"]),
                tag("td", type_of(schema)),
                tag("td", markdown(param.get("description"), inline=True)),
            )
        )
    if not rows:
        return Html("")
    head = tag("tr", *(tag("th", h) for h in ("name", "in", "type", "description")))
    return join(
        [
            tag("h4", "Parameters"),
            tag(
                "div",
                tag("table", tag("thead", head), tag("tbody", *rows), class_="grid"),
                class_="table-wrap",
            ),
        ]
    )


def _examples(content: Mapping[str, Any]) -> Html:
    examples = content.get("examples") or {}
    if "example" in content:
        examples = {"example": {"value": content["example"]}}
    blocks = [
        tag(
            "details",
            tag("summary", code(name), " ", example.get("summary") or ""),
            json_block(example.get("value")),
            class_="example",
        )
        for name, example in examples.items()
    ]
    return join(blocks)


def _content(content: Mapping[str, Any]) -> Html:
    parts: list[Html] = []
    for media_type, media in content.items():
        schema = media.get("schema") or {}
        name = ref_name(schema)
        parts.append(
            tag(
                "p",
                code(media_type),
                " → ",
                schema_link(name) if name else type_of(schema),
                class_="media",
            )
        )
        parts.append(_examples(media))
    return join(parts)


def _request_body(document: Mapping[str, Any], operation: Mapping[str, Any]) -> Html:
    if "requestBody" not in operation:
        return Html("")
    _, body = _resolve(document, operation["requestBody"])
    required = badge("required", "warn") if body.get("required") else ""
    return join(
        [
            tag("h4", "Request body ", required),
            markdown(body.get("description")),
            _content(body.get("content") or {}),
        ]
    )


def _responses(document: Mapping[str, Any], operation: Mapping[str, Any]) -> Html:
    items = []
    for status, raw in operation.get("responses", {}).items():
        component, response = _resolve(document, raw)
        tone = "ok" if status.startswith("2") else "warn" if status.startswith("4") else "bad"
        headers = response.get("headers") or {}
        header_line = (
            tag("p", "Headers: ", join((code(h) for h in headers), " "), class_="sub")
            if headers
            else ""
        )
        links = response.get("links") or {}
        link_line = (
            tag(
                "p",
                "Links: ",
                join(
                    (
                        tag(
                            "a",
                            name,
                            href=f"#{operation_anchor(str(link.get('operationId')))}",
                            title=link.get("description"),
                        )
                        for name, link in links.items()
                    ),
                    ", ",
                ),
                class_="sub",
            )
            if links
            else ""
        )
        items.append(
            tag(
                "div",
                tag(
                    "div",
                    badge(status, tone),
                    " ",
                    markdown(response.get("description"), inline=True),
                    tag("span", component, class_="sub") if component else "",
                    class_="response-head",
                ),
                header_line,
                link_line,
                _content(response.get("content") or {}),
                class_="response",
            )
        )
    return join([tag("h4", "Responses"), *items])


def _operation(document: Mapping[str, Any], method: str, path: str, op: Mapping[str, Any]) -> Html:
    operation_id = str(op.get("operationId", f"{method}-{path}"))
    return tag(
        "article",
        tag(
            "h3",
            badge(method.upper(), _METHOD_TONES.get(method, "neutral")),
            " ",
            code(path),
        ),
        tag("p", tag("strong", op.get("summary") or ""), " ", code(operation_id), class_="lead"),
        markdown(op.get("description")),
        _parameters(document, op),
        _request_body(document, op),
        _responses(document, op),
        id=operation_anchor(operation_id),
        class_="card operation",
    )


def _overview(document: Mapping[str, Any]) -> Html:
    info = document["info"]
    servers = [
        tag("li", code(s["url"]), " ", markdown(s.get("description"), inline=True))
        for s in document.get("servers") or []
    ]
    schemes = [
        tag(
            "li",
            code(name),
            f" {scheme.get('type', '')} {scheme.get('scheme', '')}: ",
            markdown(scheme.get("description"), inline=True),
        )
        for name, scheme in document["components"].get("securitySchemes", {}).items()
    ]
    return tag(
        "section",
        tag("h1", info["title"], " ", badge(f"v{info['version']}", "info")),
        tag("p", info.get("summary") or "", class_="lead"),
        markdown(info.get("description")),
        tag("h3", "Servers"),
        tag("ul", *servers),
        tag("h3", "Authentication"),
        tag("ul", *schemes),
        id="overview",
        class_="card",
    )


def _errors(document: Mapping[str, Any]) -> Html:
    responses = document["components"].get("responses", {})
    # The contract names a status only where an operation uses a shared response.
    statuses: dict[str, set[str]] = {}
    for _, _, op in _operations(document):
        for status, raw in op.get("responses", {}).items():
            name, _ = _resolve(document, raw)
            if name is not None:
                statuses.setdefault(name, set()).add(status)
    rows = [
        tag(
            "tr",
            tag(
                "td",
                join(
                    (
                        badge(s, "warn" if s < "500" else "bad")
                        for s in sorted(statuses.get(name, ()))
                    ),
                    " ",
                ),
            ),
            tag("td", code(name)),
            tag("td", markdown(r.get("description"), inline=True)),
        )
        for name, r in responses.items()
    ]
    schemas = document["components"]["schemas"]
    envelope = tag("p", "Every non-2xx answer carries one ", schema_link("ErrorEnvelope"), ".")
    codes = schemas.get("ErrorCode", {}).get("enum", [])
    return tag(
        "section",
        tag("h2", "Errors"),
        envelope,
        markdown(schemas.get("ErrorCode", {}).get("description")),
        tag("p", "Error codes: ", join((code(c) for c in codes), " "), class_="codes"),
        tag("h3", "Shared error responses"),
        tag(
            "div",
            tag(
                "table",
                tag("thead", tag("tr", *(tag("th", h) for h in ("status", "response", "meaning")))),
                tag("tbody", *rows),
                class_="grid",
            ),
            class_="table-wrap",
        ),
        id="errors",
        class_="card",
    )


def _schemas(document: Mapping[str, Any]) -> Html:
    entries = [
        tag(
            "article",
            tag("h3", name, " ", tag("span", "schema", class_="sub")),
            schema_body(schema),
            id=schema_anchor(name),
            class_="card schema",
        )
        for name, schema in document["components"]["schemas"].items()
    ]
    return tag("section", tag("h2", "Schemas"), *entries, id="schemas")


def _toc(document: Mapping[str, Any]) -> Html:
    operations = _operations(document)
    tags = [t["name"] for t in document.get("tags") or []]
    groups = []
    for tag_name in tags:
        links = [
            tag(
                "li",
                tag(
                    "a",
                    tag("span", method.upper(), class_=f"m m-{method}"),
                    " ",
                    op.get("summary") or path,
                    href=f"#{operation_anchor(str(op.get('operationId')))}",
                ),
            )
            for method, path, op in operations
            if tag_name in (op.get("tags") or [])
        ]
        groups.append(join([tag("h4", tag_name), tag("ul", *links)]))
    schema_links = [
        tag("li", tag("a", name, href=f"#{schema_anchor(name)}"))
        for name in document["components"]["schemas"]
    ]
    return tag(
        "nav",
        tag(
            "ul",
            tag("li", tag("a", "Overview", href="#overview")),
            tag("li", tag("a", "Errors", href="#errors")),
        ),
        *groups,
        tag("h4", "Schemas"),
        tag("ul", *schema_links, class_="schema-toc"),
        class_="toc",
    )


def render_reference(document: Mapping[str, Any], *, active: str = "/docs") -> Html:
    """The whole reference page for an OpenAPI 3.1 document."""
    operations = [_operation(document, m, p, op) for m, p, op in _operations(document)]
    content = tag(
        "div",
        _overview(document),
        tag("section", tag("h2", "Operations"), *operations, id="operations"),
        _errors(document),
        _schemas(document),
        class_="reference",
    )
    body = tag("div", _toc(document), content, class_="docs-layout")
    return render_page(
        title=f"{document['info']['title']} — API reference", active=active, body=body
    )


def _served_at(document: Mapping[str, Any], server_url: str) -> dict[str, Any]:
    """The document with its one server: where this mock was reached, not the contract's
    example port."""
    return {**document, "servers": [{"url": server_url, "description": "this mock"}]}


# One page per (contract, address); a mock is reached at few addresses.
@lru_cache(maxsize=8)
def contract_reference(server_url: str = "http://127.0.0.1:8765") -> Html:
    """The reference of the bundled SaaS contract, served at `server_url`."""
    return render_reference(_served_at(openapi_document(), server_url))


@lru_cache(maxsize=8)
def admin_reference(server_url: str = "http://127.0.0.1:8765") -> Html:
    """The reference of the mock's admin contract, served at `server_url`."""
    return render_reference(_served_at(admin_document(), server_url), active=ADMIN_DOCS)


__all__ = ["ADMIN_DOCS", "admin_reference", "contract_reference", "render_reference"]
