"""Atlassian Document Format to markdown, so what a v3 client writes is stored as the world
stores every body (markdown) and served back as ADF or plain text."""

from __future__ import annotations

from typing import Any

__all__ = ["adf_to_markdown", "is_adf_document"]


def is_adf_document(value: object) -> bool:
    """Whether `value` is an ADF `doc` node (what v3 takes for descriptions and comments)."""
    return (
        isinstance(value, dict)
        and value.get("type") == "doc"
        and isinstance(value.get("content", []), list)
    )


def adf_to_markdown(document: dict[str, Any]) -> str:
    """The markdown of an ADF document (unknown nodes keep their text)."""
    return "\n\n".join(
        block for block in (_block(node, "") for node in _children(document)) if block
    ).strip()


def _children(node: dict[str, Any]) -> list[dict[str, Any]]:
    content = node.get("content")
    return (
        [child for child in content if isinstance(child, dict)] if isinstance(content, list) else []
    )


def _block(node: dict[str, Any], indent: str) -> str:
    kind = node.get("type")
    if kind == "paragraph":
        return _inline(node)
    if kind == "heading":
        level = (node.get("attrs") or {}).get("level", 1)
        return "#" * max(1, min(int(level), 6)) + " " + _inline(node)
    if kind in ("bulletList", "orderedList"):
        lines = []
        for number, item in enumerate(_children(node), start=1):
            marker = f"{number}." if kind == "orderedList" else "-"
            parts = [_block(child, indent + "  ") for child in _children(item)]
            text = "\n".join(part for part in parts if part)
            lines.append(f"{indent}{marker} {text.lstrip()}")
        return "\n".join(lines)
    if kind == "codeBlock":
        language = (node.get("attrs") or {}).get("language") or ""
        return f"```{language}\n{_inline(node)}\n```"
    if kind == "blockquote":
        inner = "\n\n".join(_block(child, "") for child in _children(node))
        return "\n".join(f"> {line}" for line in inner.split("\n"))
    if kind == "rule":
        return "---"
    return "\n\n".join(_block(child, indent) for child in _children(node)) or _inline(node)


def _inline(node: dict[str, Any]) -> str:
    out: list[str] = []
    for child in _children(node):
        kind = child.get("type")
        attrs = child.get("attrs") or {}
        if kind == "text":
            out.append(_marked(str(child.get("text", "")), child.get("marks") or []))
        elif kind == "hardBreak":
            out.append("\n")
        elif kind == "mention":
            out.append(str(attrs.get("text") or "@" + str(attrs.get("id", ""))))
        elif kind == "emoji":
            out.append(str(attrs.get("text") or attrs.get("shortName", "")))
        elif kind == "inlineCard":
            out.append(str(attrs.get("url", "")))
        else:
            out.append(_inline(child))
    return "".join(out)


def _marked(text: str, marks: list[Any]) -> str:
    for mark in marks:
        kind = mark.get("type") if isinstance(mark, dict) else None
        if kind == "strong":
            text = f"**{text}**"
        elif kind == "em":
            text = f"*{text}*"
        elif kind == "code":
            text = f"`{text}`"
        elif kind == "link":
            text = f"[{text}]({(mark.get('attrs') or {}).get('href', '')})"
    return text
