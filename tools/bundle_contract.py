"""Bundle contracts/openapi.yaml and its schema files into one self-contained OpenAPI document.

openapi-python-client cannot follow cross-file refs, and the mock serves one document, so every
`./schemas/<file>.json` is inlined under `components.schemas` and refs are rewritten to
`#/components/schemas/<Name>`. Output is deterministic: key order of the sources, no timestamps.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import yaml

SCHEMA_META_KEYS = ("$schema", "$id")


def _rewrite_refs(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and not value.startswith("#"):
                file_name = Path(value.split("#", 1)[0]).name
                if file_name not in names:
                    raise SystemExit(f"unresolvable $ref {value!r}: no component maps {file_name}")
                out[key] = f"#/components/schemas/{names[file_name]}"
            else:
                out[key] = _rewrite_refs(value, names)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, names) for item in node]
    return node


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML that refuses a key twice in one mapping (plain YAML keeps the last one silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise SystemExit(
                    f"{node.start_mark.name}:{key_node.start_mark.line + 1}: "
                    f"duplicate key {key!r} in one mapping"
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_yaml(path: Path) -> Any:
    """`path` parsed as YAML, refusing duplicate keys."""
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_UniqueKeyLoader)


def bundle(openapi_path: Path) -> dict[str, Any]:
    """Return the bundled document for `openapi_path`."""
    doc: dict[str, Any] = load_yaml(openapi_path)
    components = doc["components"]["schemas"]
    names: dict[str, str] = {}
    for name, entry in components.items():
        ref = entry.get("$ref", "") if isinstance(entry, dict) else ""
        if ref and not ref.startswith("#"):
            names[Path(ref).name] = name
    inlined: dict[str, Any] = {}
    for name, entry in components.items():
        ref = entry.get("$ref", "") if isinstance(entry, dict) else ""
        if ref and not ref.startswith("#"):
            schema = json.loads((openapi_path.parent / ref).read_text(encoding="utf-8"))
            for key in SCHEMA_META_KEYS:
                schema.pop(key, None)
            inlined[name] = _rewrite_refs(schema, names)
        else:
            inlined[name] = _rewrite_refs(entry, names)
    doc["components"]["schemas"] = inlined
    doc = _rewrite_refs(doc, names)
    doc["x-generated"] = (
        f"Bundled from contracts/{openapi_path.name} by `make generate`. Do not edit."
    )
    return doc


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("openapi", type=Path)
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    args.output.write_text(dumps(bundle(args.openapi)), encoding="utf-8")


if __name__ == "__main__":
    main()
