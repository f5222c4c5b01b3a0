"""Relay pagination as Linear does it: `first`/`after`, `last`/`before`, `pageInfo`.

A cursor is the id of the node it points at, so a cursor stays valid while the list changes
around it; a cursor that names no node of the list gives an empty page. Without `first` or
`last` a page holds 50 nodes; at most 250.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .errors import LinearError

__all__ = ["DEFAULT_PAGE", "MAX_PAGE", "connection", "connection_of", "page_window"]

T = TypeVar("T")
DEFAULT_PAGE = 50
MAX_PAGE = 250
Json = dict[str, Any]


def page_window(size: int, args: Json, position: Callable[[str], int | None]) -> tuple[int, int]:
    """The `[start, end)` slice of a list of `size` items that `args` ask for.

    `position(cursor)` is the index of the item a cursor names, or None.
    """
    first, last = args.get("first"), args.get("last")
    for name, value in (("first", first), ("last", last)):
        if value is not None and value < 0:
            raise LinearError.invalid_input(f"{name} must be a positive number")
    start, end = 0, size
    if args.get("after") is not None:
        found = position(str(args["after"]))
        start = size if found is None else found + 1
    if args.get("before") is not None:
        found = position(str(args["before"]))
        end = 0 if found is None else min(found, end)
    end = max(start, end)
    if first is None and last is None:
        first = DEFAULT_PAGE
    if first is not None:
        end = min(end, start + min(int(first), MAX_PAGE))
    if last is not None:
        start = max(start, end - min(int(last), MAX_PAGE))
    return start, end


def connection(
    items: Sequence[T],
    args: Json,
    *,
    node: Callable[[T], Json],
    cursor: Callable[[T], str],
    total: int | None = None,
) -> Json:
    """A `...Connection` object of `items` (already filtered and ordered) for `args`."""
    index = {cursor(item): i for i, item in enumerate(items)}
    start, end = page_window(len(items), args, index.get)
    return connection_of(
        [node(item) for item in items[start:end]],
        [cursor(item) for item in items[start:end]],
        has_previous=start > 0,
        has_next=end < len(items),
        total=total,
    )


def connection_of(
    nodes: list[Json],
    cursors: list[str],
    *,
    has_previous: bool,
    has_next: bool,
    total: int | None = None,
) -> Json:
    """The connection object for one page of `nodes`."""
    result: Json = {
        "nodes": nodes,
        "edges": [{"cursor": c, "node": n} for c, n in zip(cursors, nodes, strict=True)],
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": has_previous,
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        },
    }
    if total is not None:
        result["totalCount"] = float(total)
    return result
