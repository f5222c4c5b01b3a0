"""One OpenAPI document with its nodes located by JSON pointer, and `$ref`s followed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .findings import child, unescape

# Keywords that say something about a schema without changing what it accepts.
ANNOTATIONS = frozenset(
    {"title", "summary", "description", "examples", "example", "$comment", "deprecated", "default"}
)


@dataclass(frozen=True)
class Node:
    """A value of a document and the JSON pointer it sits at."""

    value: Any
    pointer: str

    def get(self, key: str) -> Node | None:
        """The child `key` of a mapping node, or None."""
        if isinstance(self.value, dict) and key in self.value:
            return Node(self.value[key], child(self.pointer, key))
        return None

    def at(self, key: str) -> str:
        """The pointer to `key` in this mapping, or to the mapping itself when `key` is absent."""
        return (
            child(self.pointer, key)
            if isinstance(self.value, dict) and key in self.value
            else self.pointer
        )

    def items(self, key: str) -> list[Node]:
        """The entries of the list under `key` (empty when absent)."""
        found = self.get(key)
        if found is None or not isinstance(found.value, list):
            return []
        return [Node(value, child(found.pointer, i)) for i, value in enumerate(found.value)]

    def entries(self, key: str) -> dict[str, Node]:
        """The entries of the mapping under `key` (empty when absent)."""
        found = self.get(key)
        if found is None or not isinstance(found.value, dict):
            return {}
        return {
            name: Node(value, child(found.pointer, name)) for name, value in found.value.items()
        }


class Document:
    """A bundled OpenAPI document whose local `$ref`s (`#/...`) can be followed."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    def root(self) -> Node:
        return Node(self.raw, "")

    def at(self, pointer: str) -> Any:
        """The value at `pointer`; KeyError when there is none."""
        value: Any = self.raw
        for token in pointer.split("/")[1:] if pointer else []:
            token = unescape(token)
            value = value[int(token)] if isinstance(value, list) else value[token]
        return value

    def resolve(self, node: Node) -> Node:
        """`node` with its `$ref` chain followed; sibling keywords other than annotations are kept.

        A cycle of bare `$ref`s or a ref outside the document resolves to the node itself, so a
        broken document is compared as written instead of crashing the gate.
        """
        seen: set[str] = set()
        extra: dict[str, Any] = {}
        while isinstance(node.value, dict) and isinstance(node.value.get("$ref"), str):
            ref: str = node.value["$ref"]
            if not ref.startswith("#") or ref in seen:
                break
            seen.add(ref)
            try:
                target = self.at(ref[1:])
            except (KeyError, IndexError, ValueError, TypeError):
                break
            extra.update(
                {k: v for k, v in node.value.items() if k != "$ref" and k not in ANNOTATIONS}
            )
            node = Node(target, ref[1:])
        if extra and isinstance(node.value, dict):
            node = Node({**node.value, **extra}, node.pointer)
        return node
