"""The part of a provider's OpenAPI description that its fake serves.

The subset keeps the listed operations (with their path-level parameters) and every component
they reach through `$ref`, transitively. Examples are dropped (they are illustrations, not the
contract, and are most of the file's bulk); everything else is copied as published.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["Operation", "openapi_subset", "read_operations"]

# (lower-case method, path exactly as the description spells it), or ("ref", "#/components/..")
# for a component the fake answers with beyond its operations' own (a provider-wide error body).
Operation = tuple[str, str]
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_LINE = re.compile(r"^(?P<method>[A-Za-z]+)\s+(?P<path>/\S*|#/components/\S+)$")
# Document-level keys copied unchanged (the rest, e.g. `tags` or `x-webhooks`, is not served).
_KEPT_TOP_LEVEL = ("openapi", "info", "servers", "externalDocs", "security")


def read_operations(path: Path) -> list[Operation]:
    """The operations listed in `path`: `METHOD /path` (or `REF #/components/...`) a line;
    `#` comments (after a space or at the start) and blank lines are ignored.

    Raises: ValueError for a line of another form or a repeated operation.
    """
    operations: list[Operation] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = re.split(r"(?:^|\s)#(?!/)", raw, maxsplit=1)[0].strip()
        if not line:
            continue
        match = _LINE.match(line)
        method = match.group("method").lower() if match else ""
        is_ref = match is not None and match.group("path").startswith("#")
        if match is None or (method == "ref") != is_ref or method not in (*_METHODS, "ref"):
            raise ValueError(f"{path.name}:{number}: expected 'METHOD /path', got {raw!r}")
        operation = (method, match.group("path"))
        if operation in operations:
            raise ValueError(f"{path.name}:{number}: {raw.strip()} is listed twice")
        operations.append(operation)
    return operations


def openapi_subset(document: dict[str, Any], operations: Iterable[Operation]) -> dict[str, Any]:
    """`document` cut down to `operations` plus the components they reference.

    Raises: KeyError naming an operation the document does not describe, or a dangling `$ref`.
    """
    paths: dict[str, Any] = {}
    extra: list[str] = []
    for method, path in operations:
        if method == "ref":
            extra.append(path)
            continue
        item = document.get("paths", {}).get(path)
        if item is None or method not in item:
            raise KeyError(f"{method.upper()} {path} is not in the description")
        kept = paths.setdefault(path, {})
        if "parameters" in item:
            kept["parameters"] = _without_examples(item["parameters"])
        kept[method] = _without_examples(item[method])
    subset: dict[str, Any] = {k: document[k] for k in _KEPT_TOP_LEVEL if k in document}
    subset["paths"] = paths
    subset["components"] = _referenced_components(document, [paths, [{"$ref": r} for r in extra]])
    if "securitySchemes" in document.get("components", {}):
        subset["components"]["securitySchemes"] = document["components"]["securitySchemes"]
    return subset


def _referenced_components(document: dict[str, Any], root: Any) -> dict[str, Any]:
    components: dict[str, dict[str, Any]] = {}
    pending = list(_refs(root))
    while pending:
        ref = pending.pop()
        parts = ref.removeprefix("#/").split("/")
        if len(parts) != 3 or parts[0] != "components":
            raise KeyError(f"unsupported $ref {ref!r}")
        _, kind, name = parts
        if name in components.get(kind, {}):
            continue
        try:
            target = document["components"][kind][name]
        except KeyError:
            raise KeyError(f"dangling $ref {ref!r}") from None
        cleaned = _without_examples(target)
        components.setdefault(kind, {})[name] = cleaned
        pending.extend(_refs(cleaned))
    return components


def _refs(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _without_examples(node: Any) -> Any:
    """A copy of `node` without the examples of media types, parameters and headers.

    Those objects are the ones that carry a `schema` beside `example(s)`; a schema's own
    `example`, or a property that happens to be called `examples`, is kept.
    """
    if isinstance(node, list):
        return [_without_examples(value) for value in node]
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    dropped = ("example", "examples") if "schema" in node else ()
    return {k: _without_examples(v) for k, v in node.items() if k not in dropped}
