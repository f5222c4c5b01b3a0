"""JSON Schema fragments of the contract as readable HTML: types, constraints, property tables.

Also a deliberately small Markdown subset for the contract's descriptions (paragraphs, `- `
lists, `code`, **bold**), enough for what the contract uses and escaped throughout.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .html import Html, code, esc, join, tag

Schema = Mapping[str, Any]
_REF_PREFIX = "#/components/schemas/"
_INLINE = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*")
_CONSTRAINTS = (
    ("minLength", "min length"),
    ("maxLength", "max length"),
    ("minimum", "≥"),
    ("exclusiveMinimum", ">"),
    ("maximum", "≤"),
    ("exclusiveMaximum", "<"),
    ("minItems", "min items"),
    ("maxItems", "max items"),
    ("format", "format"),
    ("pattern", "pattern"),
    ("default", "default"),
)


def schema_anchor(name: str) -> str:
    """The fragment id of a component schema's entry."""
    return f"schema-{name}"


def _inline(text: str) -> Html:
    out: list[str] = []
    last = 0
    for match in _INLINE.finditer(text):
        out.append(esc(text[last : match.start()]))
        if match.group(1) is not None:
            out.append(code(match.group(1)))
        else:
            out.append(tag("strong", match.group(2)))
        last = match.end()
    out.append(esc(text[last:]))
    return Html("".join(out))


def markdown(text: object, *, inline: bool = False) -> Html:
    """The Markdown subset above as HTML; anything else stays literal (escaped) text.

    `inline=True` renders a one-paragraph text without the `<p>`, for use inside a line.
    """
    if not isinstance(text, str) or not text.strip():
        return Html("")
    if inline and not re.search(r"\n\s*\n|^\s*- ", text.strip(), re.MULTILINE):
        return _inline(" ".join(line.strip() for line in text.strip().splitlines()))
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        if all(line.lstrip().startswith("- ") or line.startswith("  ") for line in lines):
            items: list[str] = []
            for line in lines:
                if line.lstrip().startswith("- "):
                    items.append(line.lstrip()[2:])
                elif items:
                    items[-1] += " " + line.strip()
            blocks.append(tag("ul", *(tag("li", _inline(i)) for i in items)))
        else:
            blocks.append(tag("p", _inline(" ".join(line.strip() for line in lines))))
    return Html("".join(blocks))


def ref_name(schema: Schema) -> str | None:
    """The component name a `$ref` points at, if it points at a component schema."""
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
        return ref[len(_REF_PREFIX) :]
    return None


def schema_link(name: str) -> Html:
    """A link to a component schema's entry."""
    return tag("a", name, href=f"#{schema_anchor(name)}", class_="schema-link")


def type_of(schema: Schema) -> Html:
    """A one-line type: `string`, `string | null`, a schema link, `array of X`, an enum."""
    name = ref_name(schema)
    if name is not None:
        return schema_link(name)
    if "const" in schema:
        return code(json.dumps(schema["const"]))
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in schema:
            sep = " & " if combinator == "allOf" else " | "
            return join((type_of(s) for s in schema[combinator]), sep)
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if kind else []
    parts: list[Html] = []
    for k in kinds:
        if k == "array" and isinstance(schema.get("items"), Mapping):
            parts.append(join(["array of ", type_of(schema["items"])]))
        else:
            parts.append(esc(k))
    if "enum" in schema:
        title = schema.get("title")
        label = f"{title} (enum)" if isinstance(title, str) else "enum"
        parts = [esc(label)] + [p for p in parts if p not in ("string",)]
    if not parts:
        return esc("any")
    return join(parts, " | ")


def constraints(schema: Schema) -> Html:
    """Validation keywords worth knowing when building a request, as small chips."""
    chips = [
        tag("span", label, " ", code(json.dumps(schema[key]) if key == "default" else schema[key]))
        for key, label in _CONSTRAINTS
        if key in schema
    ]
    if "enum" in schema:
        chips.append(tag("span", "one of ", join((code(v) for v in schema["enum"]), " ")))
    return tag("span", *chips, class_="constraints") if chips else Html("")


def property_rows(schema: Schema, *, prefix: str = "", depth: int = 0) -> list[Html]:
    """One table row per property; inline objects and arrays of them are expanded (depth ≤ 3)."""
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return []
    required = set(schema.get("required") or [])
    rows: list[Html] = []
    for name, prop in properties.items():
        full = f"{prefix}{name}"
        rows.append(
            tag(
                "tr",
                tag(
                    "td",
                    code(full),
                    tag("span", "required", class_="req") if name in required else "",
                ),
                tag("td", type_of(prop)),
                tag("td", markdown(prop.get("description"), inline=True), constraints(prop)),
            )
        )
        nested = prop.get("items") if prop.get("type") == "array" else prop
        if isinstance(nested, Mapping) and "properties" in nested and depth < 3:
            marker = "[]." if nested is not prop else "."
            rows.extend(property_rows(nested, prefix=f"{full}{marker}", depth=depth + 1))
    return rows


def schema_body(schema: Schema) -> Html:
    """A schema's description, its property table and any rule that spans properties."""
    parts: list[Html] = [markdown(schema.get("description"))]
    rows = property_rows(schema)
    if rows:
        head = tag("tr", tag("th", "field"), tag("th", "type"), tag("th", "description"))
        parts.append(
            tag(
                "div",
                tag("table", tag("thead", head), tag("tbody", *rows), class_="grid props"),
                class_="table-wrap",
            )
        )
        extra = schema.get("additionalProperties")
        if extra is False:
            parts.append(tag("p", "No other fields are allowed.", class_="sub"))
    else:
        parts.append(tag("p", "Type: ", type_of(schema), " ", constraints(schema)))
    rules = {
        k: schema[k] for k in ("if", "then", "else", "not", "dependentRequired") if k in schema
    }
    if rules:
        parts.append(
            tag(
                "details",
                tag("summary", "Conditional rules (JSON Schema)"),
                json_block(rules),
            )
        )
    return join(parts)


def json_block(value: object) -> Html:
    """Pretty-printed JSON in a code block."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return tag("pre", tag("code", text), class_="json")
