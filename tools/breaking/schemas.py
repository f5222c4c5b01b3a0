"""Structural comparison of two JSON Schemas in the direction their data travels.

A request schema breaks clients when it accepts less than before (narrowing); a response schema
breaks them when it may produce what the old schema did not allow (widening). Objects, arrays and
`anyOf`/`oneOf`/`allOf` are walked; the single-value keywords are in `keywords`.
"""

from __future__ import annotations

import json
from typing import Any

from .context import Comparison
from .document import ANNOTATIONS, Node
from .findings import Direction, child
from .keywords import compare_keywords, nullable_of

_COMPOSITES = ("anyOf", "oneOf")


def compare_schema(cmp: Comparison, direction: Direction, old: Node, new: Node) -> None:
    """Report every change from `old` to `new` that breaks clients in `direction`."""
    old, new = cmp.old.resolve(old), cmp.new.resolve(new)
    key = (old.pointer, new.pointer, direction)
    if key in cmp.active or not isinstance(old.value, dict) or not isinstance(new.value, dict):
        return
    cmp.active.add(key)
    try:
        (old, was_nullable), (new, now_nullable) = (
            _split_null(cmp, old, True),
            _split_null(cmp, new, False),
        )
        compare_keywords(cmp, direction, old, new, (was_nullable, now_nullable))
        _object(cmp, direction, old, new)
        _array(cmp, direction, old, new)
        _branches(cmp, direction, old, new)
        _all_of(cmp, direction, old, new)
        _conditionals(cmp, direction, old, new)
    finally:
        cmp.active.discard(key)


def _is_null_schema(value: Any) -> bool:
    return isinstance(value, dict) and value.get("type") == "null" and len(value) <= 2


def _split_null(cmp: Comparison, node: Node, old_side: bool) -> tuple[Node, bool | None]:
    """(the schema without its null alternative, whether null is allowed or None if unsaid).

    `anyOf: [X, {type: null}]` is read as "X or null", so it compares equal to a `type: [x, null]`.
    """
    for keyword in _COMPOSITES:
        branches = node.items(keyword)
        nulls = [b for b in branches if _is_null_schema(b.value)]
        if nulls and len(branches) - len(nulls) == 1:
            (rest,) = (b for b in branches if not _is_null_schema(b.value))
            document = cmp.old if old_side else cmp.new
            resolved = document.resolve(rest)
            if isinstance(resolved.value, dict):
                return resolved, True
    return node, nullable_of(node.value)


def _closed(schema: dict[str, Any]) -> bool:
    """Whether the object refuses properties it does not name."""
    return (
        schema.get("additionalProperties") is False or schema.get("unevaluatedProperties") is False
    )


def _object(cmp: Comparison, direction: Direction, old: Node, new: Node) -> None:
    old_props, new_props = old.entries("properties"), new.entries("properties")
    for name in sorted(old_props.keys() & new_props.keys()):
        compare_schema(cmp, direction, old_props[name], new_props[name])
    old_closed, new_closed = _closed(old.value), _closed(new.value)
    for name in sorted(old_props.keys() - new_props.keys()):
        # Gone from a closed object: now refused (narrows); gone at all: no longer promised (widens).
        narrows = None if new_closed else False
        pointers = (new.at("properties"), old_props[name].pointer)
        cmp.change(direction, "property.removed", narrows, *pointers, name, None)
    new_required = set(new.value.get("required", []))
    for name in sorted(new_props.keys() - old_props.keys()):
        pointers = (new_props[name].pointer, old.at("properties"))
        if name in new_required:
            cmp.change(direction, "property.new_required", True, *pointers, None, name)
        if old_closed and not cmp.tolerant_readers:
            # A property the old closed object refused: a reader validating against it fails.
            cmp.change(direction, "property.added", False, *pointers, None, name)
    _required(cmp, direction, old, new)
    if old_closed != new_closed and (new_closed or not cmp.tolerant_readers):
        what = "additionalProperties.closed" if new_closed else "additionalProperties.opened"
        pointers = (new.at("additionalProperties"), old.at("additionalProperties"))
        cmp.change(direction, what, new_closed, *pointers, not old_closed, not new_closed)
    old_extra, new_extra = old.get("additionalProperties"), new.get("additionalProperties")
    if old_extra and new_extra and isinstance(old_extra.value, dict):
        compare_schema(cmp, direction, old_extra, new_extra)


def _required(cmp: Comparison, direction: Direction, old: Node, new: Node) -> None:
    """Required-ness of properties both sides know (new and removed ones are handled above)."""
    old_props, new_props = old.entries("properties"), new.entries("properties")
    old_required = set(old.value.get("required", []))
    new_required = set(new.value.get("required", []))
    pointers = (new.at("required"), old.at("required"))
    for name in sorted(new_required - old_required):
        if name in old_props or name not in new_props:
            cmp.change(direction, "property.now_required", True, *pointers, None, name)
    for name in sorted(old_required - new_required):
        if name in new_props or name not in old_props:
            cmp.change(direction, "property.now_optional", False, *pointers, name, None)


def _array(cmp: Comparison, direction: Direction, old: Node, new: Node) -> None:
    old_items, new_items = old.get("items"), new.get("items")
    if old_items and new_items:
        compare_schema(cmp, direction, old_items, new_items)
    for old_item, new_item in zip(old.items("prefixItems"), new.items("prefixItems"), strict=False):
        compare_schema(cmp, direction, old_item, new_item)


def _identity(cmp: Comparison, node: Node, old_side: bool) -> str:
    """A branch's identity: the component it refers to, or its canonical JSON."""
    resolved = (cmp.old if old_side else cmp.new).resolve(node)
    if resolved.pointer != node.pointer:
        return "ref:" + resolved.pointer
    return "json:" + _canonical(node.value)


def _branches(cmp: Comparison, direction: Direction, old: Node, new: Node) -> None:
    """`anyOf`/`oneOf`: a branch removed narrows, a branch added widens; matched ones recurse."""
    old_keyword = next((k for k in _COMPOSITES if k in old.value), None)
    new_keyword = next((k for k in _COMPOSITES if k in new.value), None)
    if old_keyword is None and new_keyword is None:
        return
    old_branches = old.items(old_keyword) if old_keyword else []
    new_branches = new.items(new_keyword) if new_keyword else []
    keyword = new_keyword or old_keyword or "anyOf"
    new_by_id = {_identity(cmp, b, False): b for b in new_branches}
    unmatched_old: list[Node] = []
    for branch in old_branches:
        match = new_by_id.pop(_identity(cmp, branch, True), None)
        if match is None:
            unmatched_old.append(branch)
        elif _identity(cmp, branch, True).startswith("ref:"):
            compare_schema(cmp, direction, branch, match)
    unmatched_new = list(new_by_id.values())
    # Inline branches edited in place keep their position: compare them pairwise.
    while unmatched_old and unmatched_new:
        compare_schema(cmp, direction, unmatched_old.pop(0), unmatched_new.pop(0))
    parent_new = child(new.pointer, keyword) if new_keyword else new.pointer
    parent_old = child(old.pointer, keyword) if old_keyword else old.pointer
    for branch in unmatched_old:
        cmp.change(
            direction,
            f"{keyword}.branch_removed",
            True,
            parent_new,
            branch.pointer,
            branch.value,
            None,
        )
    for branch in unmatched_new:
        cmp.change(
            direction,
            f"{keyword}.branch_added",
            False,
            branch.pointer,
            parent_old,
            None,
            branch.value,
        )


def _all_of(cmp: Comparison, direction: Direction, old: Node, new: Node) -> None:
    """`allOf`: each added part narrows, each removed part widens; parts compare by position."""
    old_parts, new_parts = old.items("allOf"), new.items("allOf")
    for old_part, new_part in zip(old_parts, new_parts, strict=False):
        compare_schema(cmp, direction, old_part, new_part)
    for part in new_parts[len(old_parts) :]:
        cmp.change(direction, "allOf.part_added", True, part.pointer, old.pointer, None, part.value)
    for part in old_parts[len(new_parts) :]:
        cmp.change(
            direction, "allOf.part_removed", False, new.pointer, part.pointer, part.value, None
        )


def _conditionals(cmp: Comparison, direction: Direction, old: Node, new: Node) -> None:
    """`not` and `if`/`then`/`else` are compared as written: added narrows, removed widens."""
    for keyword in ("not", "if", "then", "else"):
        was, now = old.get(keyword), new.get(keyword)
        if was is None and now is None:
            continue
        if was is not None and now is not None:
            same = _canonical(cmp.old.resolve(was).value) == _canonical(cmp.new.resolve(now).value)
            if not same:
                cmp.change(
                    direction,
                    f"{keyword}.changed",
                    None,
                    now.pointer,
                    was.pointer,
                    was.value,
                    now.value,
                )
        elif now is not None:
            cmp.change(
                direction, f"{keyword}.added", True, now.pointer, old.pointer, None, now.value
            )
        elif was is not None:
            cmp.change(
                direction, f"{keyword}.removed", False, new.pointer, was.pointer, was.value, None
            )


# Keywords whose value is a map of names to schemas (a property may be called `description`).
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})
# Keywords whose value is data, not a schema.
_DATA = frozenset({"enum", "const", "required", "dependentRequired"})


def _canonical(schema: Any) -> str:
    """The schema as sorted JSON without annotations and `x-` extensions (they accept nothing)."""
    return json.dumps(_without_annotations(schema), sort_keys=True)


def _without_annotations(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_without_annotations(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ANNOTATIONS or key.startswith("x-"):
            continue
        if key in _DATA:
            out[key] = value
        elif key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: _without_annotations(sub) for name, sub in value.items()}
        else:
            out[key] = _without_annotations(value)
    return out
