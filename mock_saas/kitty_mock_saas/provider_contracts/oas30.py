"""OpenAPI 3.0 Schema Objects as JSON Schema 2020-12, so ordinary validators can check them.

The differences that matter: `nullable: true` (3.0's only way to admit null), boolean
`exclusiveMinimum`/`exclusiveMaximum`, and siblings of `$ref` (ignored by 3.0). OpenAPI-only
keywords (`discriminator`, `xml`, `example`, `x-*`) are annotations and are dropped.
"""

from __future__ import annotations

from typing import Any

__all__ = ["to_json_schema"]

_ONE = ("items", "not", "additionalProperties")
_MAP = ("properties", "patternProperties")
_LIST = ("allOf", "anyOf", "oneOf")
_DROPPED = {"nullable", "discriminator", "xml", "example", "externalDocs", "deprecated"}


def to_json_schema(schema: Any) -> Any:
    """The JSON Schema 2020-12 equivalent of an OpenAPI 3.0 Schema Object (refs kept as is)."""
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return {"$ref": schema["$ref"]}
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key.startswith("x-") or key in _DROPPED:
            continue
        if key in _ONE and isinstance(value, dict):
            out[key] = to_json_schema(value)
        elif key in _MAP and isinstance(value, dict):
            out[key] = {name: to_json_schema(sub) for name, sub in value.items()}
        elif key in _LIST and isinstance(value, list):
            out[key] = [to_json_schema(sub) for sub in value]
        elif key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
            continue
        else:
            out[key] = value
    for key, base in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if schema.get(key) is True and base in schema:
            out[key] = out.pop(base)
    if schema.get("nullable") is True:
        kind = out.get("type")
        if kind is not None:
            kinds = kind if isinstance(kind, list) else [kind]
            out["type"] = kinds if "null" in kinds else [*kinds, "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def convert_components(components: dict[str, Any]) -> dict[str, Any]:
    """`components` with every schema converted (responses/parameters keep their shape)."""
    converted = dict(components)
    converted["schemas"] = {
        name: to_json_schema(schema) for name, schema in components.get("schemas", {}).items()
    }
    return converted
