"""Atlassian Document Format (Jira Cloud v3 rich text) to markdown.

Covers the nodes tickets use: paragraphs, headings, bullet and ordered lists (nested), code
blocks, block quotes, panels, rules, hard breaks, mentions, emoji, inline cards and the text
marks strong, em, strike, code and link. Unknown nodes keep their text instead of vanishing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["adf_to_markdown"]

Node = Mapping[str, Any]


def adf_to_markdown(document: Any) -> str | None:
    """Markdown for an ADF `doc` node; None for a null or empty description."""
    if not isinstance(document, Mapping):
        return None
    text = _blocks(_children(document), indent="").strip("\n")
    return text or None


def _children(node: Node) -> Sequence[Node]:
    content = node.get("content")
    return [child for child in content if isinstance(child, Mapping)] if content else []


def _blocks(nodes: Sequence[Node], indent: str) -> str:
    return "\n\n".join(part for part in (_block(node, indent) for node in nodes) if part)


def _block(node: Node, indent: str) -> str:
    kind = node.get("type")
    attrs = node.get("attrs") or {}
    if kind == "paragraph":
        return _inline(_children(node))
    if kind == "heading":
        level = int(attrs.get("level", 1))
        return f"{'#' * max(1, min(level, 6))} {_inline(_children(node))}"
    if kind in ("bulletList", "orderedList"):
        return _list(node, indent)
    if kind == "codeBlock":
        language = attrs.get("language") or ""
        code = "".join(str(child.get("text", "")) for child in _children(node))
        return f"```{language}\n{code}\n```"
    if kind in ("blockquote", "panel"):
        inner = _blocks(_children(node), indent)
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
    if kind == "rule":
        return "---"
    if kind in ("mediaSingle", "mediaGroup", "media"):
        return ""
    if "text" in node or kind in _INLINE_KINDS:
        return _inline([node])
    return _blocks(_children(node), indent)


def _list(node: Node, indent: str) -> str:
    ordered = node.get("type") == "orderedList"
    start = int((node.get("attrs") or {}).get("order", 1))
    lines: list[str] = []
    for position, item in enumerate(_children(node)):
        marker = f"{start + position}." if ordered else "-"
        inner_indent = indent + " " * (len(marker) + 1)
        parts = list(_children(item))
        leads_with_text = bool(parts) and parts[0].get("type") == "paragraph"
        first = _inline(_children(parts[0])) if leads_with_text else ""
        rest = parts[1:] if leads_with_text else parts
        lines.append(f"{indent}{marker} {first}".rstrip())
        for child in rest:
            rendered = _block(child, inner_indent)
            if child.get("type") in ("bulletList", "orderedList"):
                lines.append(rendered)
            elif rendered:
                lines.extend(f"{inner_indent}{line}" for line in rendered.split("\n"))
    return "\n".join(lines)


_INLINE_KINDS = ("text", "hardBreak", "mention", "emoji", "inlineCard", "date", "status")


def _inline(nodes: Sequence[Node]) -> str:
    return "".join(_inline_node(node) for node in nodes)


def _inline_node(node: Node) -> str:
    kind = node.get("type")
    attrs = node.get("attrs") or {}
    if kind == "hardBreak":
        return "  \n"
    if kind == "mention":
        return str(attrs.get("text") or "@" + str(attrs.get("id", "someone")))
    if kind == "emoji":
        return str(attrs.get("text") or attrs.get("shortName") or "")
    if kind == "inlineCard":
        url = str(attrs.get("url", ""))
        return f"<{url}>" if url else ""
    if kind == "status":
        return str(attrs.get("text", ""))
    if kind != "text":
        return _inline(_children(node))
    return _marked(str(node.get("text", "")), node.get("marks") or [])


def _marked(text: str, marks: Sequence[Node]) -> str:
    kinds = {mark.get("type"): mark for mark in marks if isinstance(mark, Mapping)}
    if "code" in kinds:
        text = f"`{text}`"
    if "strong" in kinds:
        text = f"**{text}**"
    if "em" in kinds:
        text = f"*{text}*"
    if "strike" in kinds:
        text = f"~~{text}~~"
    link = kinds.get("link")
    if link is not None:
        href = (link.get("attrs") or {}).get("href", "")
        text = f"[{text}]({href})"
    return text
