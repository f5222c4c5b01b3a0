"""Cut Linear's GraphQL SDL down to the root fields the fake serves and every type they reach.

The kept definitions are copied verbatim (descriptions and deprecations included) in the
order of the full file; `Query` and `Mutation` keep only the listed fields and the subscription
root is dropped. Every type a kept field, argument, input field, interface or union names is
kept, so the subset builds on its own and validates a document exactly as the full schema does
for the kept root fields.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from graphql import (
    DirectiveDefinitionNode,
    DirectiveNode,
    EnumTypeDefinitionNode,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    NamedTypeNode,
    Node,
    ObjectTypeDefinitionNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    UnionTypeDefinitionNode,
    build_schema,
    parse,
)

from .sources import stable_json

__all__ = ["LINEAR_SOURCE", "extract_linear", "read_root_fields", "sdl_subset"]

HERE = Path(__file__).resolve().parent
ROOT_TYPES = ("Query", "Mutation")
LINEAR_SOURCE = {
    "provider": "linear",
    "file": "linear/schema.graphql",
    "licence_file": "linear/LICENSE",
    "licence": "MIT",
    "source": "packages/sdk/src/schema.graphql of github.com/linear/linear (Linear's public "
    "GraphQL schema, from which the official @linear/sdk is generated)",
    "version": "linear/linear 8335e09a17dd8aa351dace3d05a94a55e78dad2a; the file last changed "
    "by d044ca658728db6100cda84233a9545f5ed2f58a (2026-07-22), released in @linear/sdk 88.3.0",
}


def read_root_fields(path: Path) -> dict[str, list[str]]:
    """`{"Query": [...], "Mutation": [...]}` from a list of `Root.field` lines (# comments)."""
    roots: dict[str, list[str]] = {name: [] for name in ROOT_TYPES}
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        root, _, field = entry.partition(".")
        if root not in roots or not field:
            raise ValueError(f"{path.name}: {entry!r} is not Query.<field> or Mutation.<field>")
        roots[root].append(field)
    return roots


def _text(source: str, node: Node) -> str:
    assert node.loc is not None
    return source[node.loc.start : node.loc.end]


def _named(nodes: Iterable[Node]) -> list[str]:
    """The type names a list of AST nodes mentions (through lists and non-null wrappers)."""
    names = []
    for node in nodes:
        while not isinstance(node, NamedTypeNode):
            node = node.type  # type: ignore[attr-defined]
        names.append(node.name.value)
    return names


def _references(definition: TypeDefinitionNode) -> tuple[list[str], list[str]]:
    """The type names and directive names one definition refers to."""
    types: list[Node] = []
    directives: list[DirectiveNode] = list(definition.directives or ())
    if isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
        types += definition.interfaces or ()
        for field in definition.fields or ():
            types.append(field.type)
            types += [argument.type for argument in field.arguments or ()]
            directives += field.directives or ()
            for argument in field.arguments or ():
                directives += argument.directives or ()
    elif isinstance(definition, InputObjectTypeDefinitionNode):
        for value in definition.fields or ():
            types.append(value.type)
            directives += value.directives or ()
    elif isinstance(definition, UnionTypeDefinitionNode):
        types += definition.types or ()
    elif isinstance(definition, EnumTypeDefinitionNode):
        for enum_value in definition.values or ():
            directives += enum_value.directives or ()
    return _named(types), [directive.name.value for directive in directives]


def _root_text(source: str, definition: ObjectTypeDefinitionNode, keep: list[str]) -> str:
    """`definition` with only the fields in `keep` (verbatim, in the full file's order)."""
    fields = {field.name.value: field for field in definition.fields or ()}
    missing = sorted(set(keep) - set(fields))
    if missing:
        raise ValueError(f"{definition.name.value} has no field {', '.join(missing)}")
    header = source[definition.loc.start : definition.fields[0].loc.start]  # type: ignore[index,union-attr]
    kept = [_text(source, field) for field in definition.fields or () if field.name.value in keep]
    return header + "\n  ".join(kept) + "\n}"


def sdl_subset(source: str, roots: Mapping[str, list[str]]) -> str:
    """The part of the SDL `source` reachable from the root fields in `roots`."""
    document = parse(source)
    definitions: dict[str, TypeDefinitionNode] = {}
    directive_definitions: dict[str, DirectiveDefinitionNode] = {}
    for definition in document.definitions:
        if isinstance(definition, DirectiveDefinitionNode):
            directive_definitions[definition.name.value] = definition
        elif isinstance(definition, TypeDefinitionNode):
            definitions[definition.name.value] = definition
    kept_types: set[str] = set()
    kept_directives: set[str] = set()
    pending: list[str] = []

    def keep(names: Iterable[str]) -> None:
        for name in names:
            if name in definitions and name not in kept_types:
                kept_types.add(name)
                pending.append(name)

    for root, fields in roots.items():
        if not fields:
            continue
        kept_types.add(root)
        root_definition = definitions[root]
        assert isinstance(root_definition, ObjectTypeDefinitionNode)
        for field in root_definition.fields or ():
            if field.name.value in fields:
                keep(_named([field.type, *(a.type for a in field.arguments or ())]))
                kept_directives.update(d.name.value for d in field.directives or ())
    while pending:
        types, directives = _references(definitions[pending.pop()])
        keep(types)
        kept_directives.update(directives)
    roots_kept = [root for root in ROOT_TYPES if roots.get(root)]
    parts = ["schema {\n" + "".join(f"  {r.lower()}: {r}\n" for r in roots_kept) + "}"]
    parts += [
        _text(source, definition)
        for name, definition in directive_definitions.items()
        if name in kept_directives
    ]
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | DirectiveDefinitionNode):
            continue
        name = definition.name.value  # type: ignore[attr-defined]
        if name not in kept_types:
            continue
        if name in roots_kept:
            assert isinstance(definition, ObjectTypeDefinitionNode)
            parts.append(_root_text(source, definition, roots[name]))
        else:
            parts.append(_text(source, definition))
    return "\n\n".join(parts) + "\n"


def extract_linear(shared: Path) -> dict[str, bytes]:
    """The committed files of Linear's subset: `schema.graphql`, `source.json`, `LICENSE`."""
    raw = (shared / LINEAR_SOURCE["file"]).read_bytes()
    roots = read_root_fields(HERE / "linear_operations.txt")
    subset = sdl_subset(raw.decode("utf-8"), roots)
    build_schema(subset)  # the subset stands on its own: every type it names is in it
    kept = parse(subset).definitions
    provenance = {
        "provider": "linear",
        "source": LINEAR_SOURCE["source"],
        "file": LINEAR_SOURCE["file"],
        "version": LINEAR_SOURCE["version"],
        "licence": LINEAR_SOURCE["licence"],
        "sha256": hashlib.sha256(raw).hexdigest(),
        "root_fields": {root: len(fields) for root, fields in roots.items()},
        "definitions": len(kept) - 1,
        "cut": "the root fields of tools/provider_contracts/linear_operations.txt and every "
        "type and directive they reach, copied verbatim; the subscription root dropped; "
        "written by `python -m tools.provider_contracts extract`",
    }
    return {
        "schema.graphql": subset.encode("utf-8"),
        "source.json": stable_json(provenance),
        "LICENSE": (shared / LINEAR_SOURCE["licence_file"]).read_bytes(),
    }
