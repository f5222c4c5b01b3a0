"""How the Linear fake answers a field: from the object the fake built, or a schema-correct default.

The fake builds plain dicts for what the tracker world models (an issue's title, its team, ...).
Every other field the schema defines still answers, as Linear would for an object that has no
value there: null where the field is nullable; where it is not, a stable value of the right type
(an empty list or connection, `false`, `0`, an id derived from the parent's, the world's first
day for a time, an enum's first value, or an object built the same way).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from graphql import (
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    is_abstract_type,
)

__all__ = ["DEFAULT_TIME", "default_value", "resolve_field", "resolve_type"]

# A time the world does not model: the tracker world's first day.
DEFAULT_TIME = "2026-01-05T09:00:00.000Z"
_ID_NAMESPACE = uuid.UUID("5d0c8f51-3a47-4c2e-9b6d-2e8f7a1c4b90")
_SCALARS: dict[str, Any] = {
    "String": "",
    "Int": 0,
    "Float": 0.0,
    "Boolean": False,
    "JSON": {},
    "JSONObject": {},
    "Duration": "PT0S",
}
_TIMES = ("DateTime", "DateTimeOrDuration")
_DATES = ("TimelessDate", "TimelessDateOrDuration")
_IDS = ("ID", "UUID")


def resolve_field(source: Any, info: GraphQLResolveInfo[Any], **args: Any) -> Any:
    """The value of `info.field_name` on `source`; a callable value is called with the args."""
    if isinstance(source, Mapping):
        value = source.get(info.field_name, _MISSING)
        if value is not _MISSING:
            return value(info, **args) if callable(value) else value
    return default_value(info.return_type, source, info.field_name, info.schema)


def resolve_type(
    value: Any, info: GraphQLResolveInfo[Any], abstract_type: GraphQLAbstractType
) -> str:
    """The concrete type of an object the fake built: its `__typename`."""
    return str(value["__typename"])


def default_value(type_: GraphQLOutputType, parent: Any, field: str, schema: GraphQLSchema) -> Any:
    """A schema-correct value for a field the fake does not model."""
    if not isinstance(type_, GraphQLNonNull):
        return None
    inner = type_.of_type
    if isinstance(inner, GraphQLList):
        return []
    if isinstance(inner, GraphQLScalarType):
        return _scalar(inner.name, parent, field)
    if isinstance(inner, GraphQLEnumType):
        return next(iter(inner.values))
    if is_abstract_type(inner):
        # The first possible type by name: the same choice every time.
        inner = min(schema.get_possible_types(inner), key=lambda t: t.name)
    return {"__typename": inner.name, "__seed": f"{_seed(parent)}/{field}"}


def _seed(parent: Any) -> str:
    if isinstance(parent, Mapping):
        return str(parent.get("id") or parent.get("__seed") or parent.get("__typename", ""))
    return ""


def _scalar(name: str, parent: Any, field: str) -> Any:
    if name in _IDS:
        return str(uuid.uuid5(_ID_NAMESPACE, f"{_seed(parent)}/{field}"))
    if name in _TIMES:
        return DEFAULT_TIME
    if name in _DATES:
        return DEFAULT_TIME[:10]
    return _SCALARS.get(name, "")


_MISSING = object()
