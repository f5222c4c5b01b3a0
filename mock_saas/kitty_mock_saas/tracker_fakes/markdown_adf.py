"""Markdown to Atlassian Document Format, so the fake Jira stores markdown and serves ADF.

A small block parser for what seeded tickets use: headings, paragraphs, `-`/`*` and `1.`
lists (nested by indentation), fenced code, block quotes, rules; inline code, strong,
emphasis and links.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["markdown_to_adf"]

Json = dict[str, Any]

_LIST_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[-*]|\d+\.) (?P<text>.*)$")
_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\*\*(?P<strong>.+?)\*\*"
    r"|\*(?P<em>[^*]+)\*"
    r"|\[(?P<label>[^\]]+)\]\((?P<href>[^)\s]+)\)"
)


def markdown_to_adf(markdown: str | None) -> Json | None:
    """An ADF `doc` for `markdown`; None for no description."""
    if not markdown or not markdown.strip():
        return None
    return {"type": "doc", "version": 1, "content": _blocks(markdown.split("\n"))}


def _blocks(lines: list[str]) -> list[Json]:
    blocks: list[Json] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
        elif line.startswith("```"):
            end = next(
                (i for i in range(index + 1, len(lines)) if lines[i].startswith("```")), len(lines)
            )
            code: Json = {
                "type": "codeBlock",
                "content": [{"type": "text", "text": "\n".join(lines[index + 1 : end])}],
            }
            if line[3:].strip():
                code["attrs"] = {"language": line[3:].strip()}
            blocks.append(code)
            index = end + 1
        elif heading := re.match(r"^(#{1,6}) (.*)$", line):
            blocks.append(
                {
                    "type": "heading",
                    "attrs": {"level": len(heading.group(1))},
                    "content": _inline(heading.group(2)),
                }
            )
            index += 1
        elif line.strip() in ("---", "***"):
            blocks.append({"type": "rule"})
            index += 1
        elif line.startswith(">"):
            end = index
            while end < len(lines) and lines[end].startswith(">"):
                end += 1
            quoted = [row[1:].removeprefix(" ") for row in lines[index:end]]
            blocks.append({"type": "blockquote", "content": _blocks(quoted)})
            index = end
        elif _LIST_ITEM.match(line):
            end = index
            while (
                end < len(lines)
                and lines[end].strip()
                and (_LIST_ITEM.match(lines[end]) or lines[end].startswith(" "))
            ):
                end += 1
            blocks.append(_list(lines[index:end]))
            index = end
        else:
            end = index
            while end < len(lines) and lines[end].strip() and not _starts_block(lines[end]):
                end += 1
            blocks.append({"type": "paragraph", "content": _inline(" ".join(lines[index:end]))})
            index = end
    return blocks


def _starts_block(line: str) -> bool:
    return bool(line.startswith(("```", "#", ">")) or _LIST_ITEM.match(line))


def _list(lines: list[str]) -> Json:
    first = _LIST_ITEM.match(lines[0])
    assert first is not None
    base = len(first.group("indent"))
    ordered = first.group("marker")[0].isdigit()
    items: list[Json] = []
    index = 0
    while index < len(lines):
        match = _LIST_ITEM.match(lines[index])
        assert match is not None
        end = index + 1
        while end < len(lines) and _indent(lines[end]) > base:
            end += 1
        content: list[Json] = [{"type": "paragraph", "content": _inline(match.group("text"))}]
        nested = lines[index + 1 : end]
        if nested:
            content.append(_list(nested))
        items.append({"type": "listItem", "content": content})
        index = end
    node: Json = {"type": "orderedList" if ordered else "bulletList", "content": items}
    if ordered:
        node["attrs"] = {"order": int(first.group("marker")[:-1])}
    return node


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _inline(text: str) -> list[Json]:
    nodes: list[Json] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            nodes.append({"type": "text", "text": text[position : match.start()]})
        if match.group("code") is not None:
            nodes.append(_text(match.group("code"), {"type": "code"}))
        elif match.group("strong") is not None:
            nodes.append(_text(match.group("strong"), {"type": "strong"}))
        elif match.group("em") is not None:
            nodes.append(_text(match.group("em"), {"type": "em"}))
        else:
            link = {"type": "link", "attrs": {"href": match.group("href")}}
            nodes.append(_text(match.group("label"), link))
        position = match.end()
    if position < len(text):
        nodes.append({"type": "text", "text": text[position:]})
    return nodes


def _text(text: str, mark: Json) -> Json:
    return {"type": "text", "text": text, "marks": [mark]}
