"""Rules for the keywords that constrain one value: type, nullability, enum, const, bounds,
lengths, pattern, format and multipleOf.

Each rule states how the new schema's keyword narrows or widens the old one; `Comparison.change`
decides whether that breaks the direction in hand.
"""

from __future__ import annotations

import json
from typing import Any

from .context import Comparison
from .document import Node
from .findings import Direction

ALL_TYPES = frozenset({"null", "boolean", "object", "array", "number", "integer", "string"})

# (keyword, the kind of limit): a "min" limit narrows when raised, a "max" limit when lowered.
LENGTH_LIMITS = (
    ("minLength", "min"),
    ("maxLength", "max"),
    ("minItems", "min"),
    ("maxItems", "max"),
    ("minProperties", "min"),
    ("maxProperties", "max"),
)


def compare_keywords(
    cmp: Comparison,
    direction: Direction,
    old: Node,
    new: Node,
    nullable: tuple[bool | None, bool | None],
) -> None:
    """Compare the single-value keywords of two resolved, non-composite schemas."""
    _nullable(cmp, direction, old, new, nullable)
    _types(cmp, direction, old, new)
    _enum(cmp, direction, old, new)
    for keyword in ("const", "pattern", "format"):
        _presence(cmp, direction, old, new, keyword)
    _bound(cmp, direction, old, new, lower=True)
    _bound(cmp, direction, old, new, lower=False)
    for keyword, kind in LENGTH_LIMITS:
        _length(cmp, direction, old, new, keyword, kind)
    _multiple_of(cmp, direction, old, new)
    _unique_items(cmp, direction, old, new)


def types_of(schema: dict[str, Any]) -> frozenset[str] | None:
    """The non-null types a schema allows, or None when it does not constrain the type."""
    declared = schema.get("type")
    if declared is None:
        return None
    names = {declared} if isinstance(declared, str) else set(declared)
    return frozenset(names - {"null"})


def nullable_of(schema: dict[str, Any]) -> bool | None:
    """Whether the schema allows null; None when it says nothing about types at all."""
    declared = schema.get("type")
    if "enum" in schema:
        return None in schema["enum"]
    if "const" in schema:
        return schema["const"] is None
    if declared is None:
        return True if schema.get("nullable") is True else None
    return (
        declared == "null"
        or (isinstance(declared, list) and "null" in declared)
        or (schema.get("nullable") is True)
    )


def _nullable(
    cmp: Comparison,
    direction: Direction,
    old: Node,
    new: Node,
    nullable: tuple[bool | None, bool | None],
) -> None:
    was, now = nullable
    if was is not None and now is not None and was != now:
        what = "nullable.added" if now else "nullable.removed"
        cmp.change(direction, what, not now, new.pointer, old.pointer, was, now)


def _covers(types: frozenset[str], name: str) -> bool:
    return name in types or (name == "integer" and "number" in types)


def _types(cmp: Comparison, direction: Direction, old: Node, new: Node) -> None:
    was, now = types_of(old.value), types_of(new.value)
    if was == now:
        return
    was_all, now_all = was if was is not None else ALL_TYPES, now if now is not None else ALL_TYPES
    lost = any(not _covers(now_all, t) for t in was_all - {"null"})
    gained = any(not _covers(was_all, t) for t in now_all - {"null"})
    if not (lost or gained):
        return
    what = "changed" if lost and gained else "narrowed" if lost else "widened"
    narrows = None if lost and gained else lost
    shown = (sorted(was) if was is not None else None, sorted(now) if now is not None else None)
    pointers = (new.at("type"), old.at("type"))
    cmp.change(direction, f"type.{what}", narrows, *pointers, *shown)


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _enum(cmp: Comparison, direction: Direction, old: Node, new: Node) -> None:
    was, now = old.value.get("enum"), new.value.get("enum")
    pointers = (new.at("enum"), old.at("enum"))
    if was is None and now is None:
        return
    if was is None:
        cmp.change(direction, "enum.added", True, *pointers, None, now)
        return
    if now is None:
        cmp.change(direction, "enum.removed", False, *pointers, was, None)
        return
    was_keys, now_keys = {_key(v) for v in was}, {_key(v) for v in now}
    removed = [v for v in was if _key(v) not in now_keys]
    added = [v for v in now if _key(v) not in was_keys]
    if removed:
        cmp.change(direction, "enum.value_removed", True, *pointers, removed, None)
    if added:
        cmp.change(direction, "enum.value_added", False, *pointers, None, added)


def _presence(cmp: Comparison, direction: Direction, old: Node, new: Node, keyword: str) -> None:
    """A keyword that constrains by being there: added narrows, removed widens, changed both."""
    was, now = old.value.get(keyword), new.value.get(keyword)
    if _key(was) == _key(now) or (
        keyword == "pattern"
        and isinstance(was, str)
        and isinstance(now, str)
        and ecma_digits(was) == ecma_digits(now)
    ):
        return
    what, narrows = (
        ("added", True) if was is None else ("removed", False) if now is None else ("changed", None)
    )
    pointers = (new.at(keyword), old.at(keyword))
    cmp.change(direction, f"{keyword}.{what}", narrows, *pointers, was, now)


def ecma_digits(pattern: str) -> str:
    """`pattern` with `\\d` spelled `[0-9]`: the same language in ECMA-262, which JSON Schema uses.

    Other rewrites of a pattern are compared as text; deciding regex inclusion is out of scope.
    """
    out, in_class, i = [], False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            pair = pattern[i : i + 2]
            out.append(("0-9" if in_class else "[0-9]") if pair == "\\d" else pair)
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


def _limit(schema: dict[str, Any], lower: bool) -> tuple[float, bool, str] | None:
    """The effective (value, exclusive, keyword) lower or upper bound of a numeric schema."""
    inclusive, exclusive = (
        ("minimum", "exclusiveMinimum") if lower else ("maximum", "exclusiveMaximum")
    )
    found: list[tuple[float, bool, str]] = []
    if isinstance(schema.get(inclusive), int | float):
        # OpenAPI 3.0 spelled exclusivity as a boolean beside the bound.
        found.append((schema[inclusive], schema.get(exclusive) is True, inclusive))
    if isinstance(schema.get(exclusive), int | float) and not isinstance(schema[exclusive], bool):
        found.append((schema[exclusive], True, exclusive))
    if not found:
        return None
    # The strictest bound wins: the highest lower bound, the lowest upper bound, exclusive first.
    if lower:
        return max(found, key=lambda b: (b[0], b[1]))
    return min(found, key=lambda b: (b[0], not b[1]))


def _bound(cmp: Comparison, direction: Direction, old: Node, new: Node, *, lower: bool) -> None:
    was, now = _limit(old.value, lower), _limit(new.value, lower)
    if was == now:
        return
    if now is None:
        assert was is not None
        pointers = (new.pointer, old.at(was[2]))
        cmp.change(direction, f"{was[2]}.removed", False, *pointers, was[0], None)
        return
    pointers = (new.at(now[2]), old.at(was[2] if was else now[2]))
    if was is None:
        cmp.change(direction, f"{now[2]}.added", True, *pointers, None, now[0])
        return
    if (now[0], now[1]) == (was[0], was[1]):
        return  # the same bound, spelled with another keyword
    stricter = now[0] > was[0] if lower else now[0] < was[0]
    if now[0] == was[0]:
        stricter = now[1] and not was[1]
    raised = now[0] > was[0] or (now[0] == was[0] and now[1] == lower)
    what = "raised" if raised else "lowered"
    cmp.change(direction, f"{now[2]}.{what}", stricter, *pointers, was[0], now[0])


def _length(
    cmp: Comparison, direction: Direction, old: Node, new: Node, keyword: str, kind: str
) -> None:
    was, now = old.value.get(keyword), new.value.get(keyword)
    if was == now:
        return
    pointers = (new.at(keyword), old.at(keyword))
    if kind == "min":
        # An absent minimum length is 0.
        raised = (now or 0) > (was or 0)
        if (now or 0) != (was or 0):
            what = "raised" if raised else "lowered"
            cmp.change(direction, f"{keyword}.{what}", raised, *pointers, was, now)
        return
    if was is None:
        cmp.change(direction, f"{keyword}.added", True, *pointers, None, now)
    elif now is None:
        cmp.change(direction, f"{keyword}.removed", False, *pointers, was, None)
    else:
        lowered = now < was
        cmp.change(
            direction,
            f"{keyword}.{'lowered' if lowered else 'raised'}",
            lowered,
            *pointers,
            was,
            now,
        )


def _multiple_of(cmp: Comparison, direction: Direction, old: Node, new: Node) -> None:
    was, now = old.value.get("multipleOf"), new.value.get("multipleOf")
    if was == now:
        return
    pointers = (new.at("multipleOf"), old.at("multipleOf"))
    if was is None:
        cmp.change(direction, "multipleOf.added", True, *pointers, None, now)
    elif now is None:
        cmp.change(direction, "multipleOf.removed", False, *pointers, was, None)
    else:
        # Every multiple of `was` is a multiple of `now` exactly when `now` divides `was`.
        widens, narrows = was % now == 0, now % was == 0
        cmp.change(
            direction,
            "multipleOf.changed",
            None if widens == narrows else narrows,
            *pointers,
            was,
            now,
        )


def _unique_items(cmp: Comparison, direction: Direction, old: Node, new: Node) -> None:
    was, now = old.value.get("uniqueItems") is True, new.value.get("uniqueItems") is True
    if was != now:
        pointers = (new.at("uniqueItems"), old.at("uniqueItems"))
        cmp.change(direction, "uniqueItems.changed", now, *pointers, was, now)
