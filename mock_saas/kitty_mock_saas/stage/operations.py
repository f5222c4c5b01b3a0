"""The contract's operations as the stage needs them: matched by method and path, keyed by operationId.

Everything here is read from the bundled documents (`openapi_document()`, `admin_document()`):
parameters with their schemas, the request body's media type and schema, the documented
responses, the security requirement and the request limits (`x-request-limits`, top level and
per operation).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import jsonschema_rs

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_TEMPLATE_PART = re.compile(r"\{([^}/]+)\}")


class SchemaCheck:
    """A JSON Schema of the document (which may `$ref` its components), checked fast then in detail."""

    def __init__(self, document: Mapping[str, Any], schema: Mapping[str, Any]) -> None:
        self._root = {"$schema": _DIALECT, **schema, "components": document.get("components", {})}
        self._fast = jsonschema_rs.Draft202012Validator(self._root, validate_formats=True)

    @cached_property
    def _detailed(self) -> Draft202012Validator:
        # Built on the first refusal only: importing `jsonschema` takes a second or more, and a
        # restarted mock must answer at once.
        from jsonschema import Draft202012Validator

        return Draft202012Validator(self._root, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def errors(self, instance: Any) -> list[ValidationError]:
        if self._fast.is_valid(instance):
            return []
        return sorted(self._detailed.iter_errors(instance), key=lambda e: list(e.absolute_path))


@dataclass(frozen=True)
class Limits:
    """What one request may weigh: bytes of headers and (decompressed) body, JSON shape."""

    header_bytes: int
    body_bytes: int
    json_depth: int
    integer_digits: int

    @classmethod
    def read(cls, *layers: Mapping[str, Any]) -> Limits:
        values: dict[str, int] = {}
        for layer in layers:
            values.update(layer.get("x-request-limits", {}))
        return cls(**values)


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # path, query or header
    required: bool
    schema: Mapping[str, Any]
    check: SchemaCheck


@dataclass(frozen=True)
class ResponseSpec:
    """A documented answer: its JSON body schema (None for no body) and its headers' schemas."""

    body: SchemaCheck | None
    headers: dict[str, SchemaCheck]


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    parameters: tuple[Parameter, ...]
    media_type: str | None  # of the request body; None when the operation takes none
    body: SchemaCheck | None
    body_required: bool
    responses: dict[str, ResponseSpec]
    # Header names any one of which carries credentials; empty when the operation is public.
    credential_headers: frozenset[str]
    limits: Limits
    path_pattern: re.Pattern[str] = field(repr=False)


def _resolve(document: Mapping[str, Any], item: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow a local `$ref` (`#/components/...`) until it reaches the object itself."""
    while "$ref" in item:
        target: Any = document
        for part in str(item["$ref"]).removeprefix("#/").split("/"):
            target = target[part]
        item = target
    return item


def _path_pattern(template: str) -> re.Pattern[str]:
    pieces, last = [], 0
    for match in _TEMPLATE_PART.finditer(template):
        pieces.append(re.escape(template[last : match.start()]))
        pieces.append(f"(?P<{match.group(1)}>[^/]+)")
        last = match.end()
    pieces.append(re.escape(template[last:]))
    return re.compile("".join(pieces))


def _credential_headers(
    document: Mapping[str, Any], requirements: Iterable[Mapping[str, Any]]
) -> frozenset[str]:
    schemes = document.get("components", {}).get("securitySchemes", {})
    names: set[str] = set()
    for requirement in requirements:
        for scheme_name in requirement:
            scheme = schemes[scheme_name]
            if scheme["type"] == "apiKey" and scheme["in"] == "header":
                names.add(scheme["name"].lower())
            names.add("authorization")
    return frozenset(names)


def _schema_checks(document: Mapping[str, Any]) -> Callable[[Mapping[str, Any]], SchemaCheck]:
    """One `SchemaCheck` per distinct schema of `document`: each compiled validator carries all
    the components (~0.4 MB), and the operations repeat a few dozen schemas hundreds of times."""
    built: dict[str, SchemaCheck] = {}

    def check(schema: Mapping[str, Any]) -> SchemaCheck:
        key = json.dumps(schema, sort_keys=True)
        if key not in built:
            built[key] = SchemaCheck(document, schema)
        return built[key]

    return check


def _operations(document: Mapping[str, Any]) -> Iterator[Operation]:
    base_limits = document.get("x-request-limits", {})
    schema_check = _schema_checks(document)
    for path, item in document["paths"].items():
        shared = [_resolve(document, p) for p in item.get("parameters", [])]
        for method in _METHODS:
            raw = item.get(method)
            if raw is None:
                continue
            own = [_resolve(document, p) for p in raw.get("parameters", [])]
            parameters = {(p["name"].lower(), p["in"]): p for p in [*shared, *own]}
            body = _resolve(document, raw["requestBody"]) if "requestBody" in raw else None
            media_type, body_schema = None, None
            if body is not None:
                media_type, media = next(iter(body["content"].items()))
                body_schema = media.get("schema")
            responses = {}
            for status, answer in raw["responses"].items():
                answer = _resolve(document, answer)
                content = answer.get("content", {}).get("application/json")
                responses[status] = ResponseSpec(
                    body=schema_check(content["schema"]) if content else None,
                    headers={
                        name.lower(): schema_check(_resolve(document, h)["schema"])
                        for name, h in answer.get("headers", {}).items()
                    },
                )
            yield Operation(
                operation_id=raw["operationId"],
                method=method.upper(),
                path=path,
                parameters=tuple(
                    Parameter(
                        name=p["name"],
                        location=p["in"],
                        required=bool(p.get("required", p["in"] == "path")),
                        schema=p["schema"],
                        check=schema_check(p["schema"]),
                    )
                    for p in parameters.values()
                ),
                media_type=media_type,
                body=schema_check(body_schema) if body_schema else None,
                body_required=bool(body and body.get("required")),
                responses=responses,
                credential_headers=_credential_headers(
                    document, raw.get("security", document.get("security", []))
                ),
                limits=Limits.read({"x-request-limits": base_limits}, raw),
                path_pattern=_path_pattern(path),
            )


@dataclass(frozen=True)
class Route:
    """What the stage found for a request: its operation, or the methods its path allows."""

    operation: Operation | None
    path_params: dict[str, str]
    allowed: tuple[str, ...]


class OperationTable:
    """Every operation of the given contracts, matched the way the mock's router matches them."""

    def __init__(self, documents: Iterable[Mapping[str, Any]]) -> None:
        self.operations = [op for document in documents for op in _operations(document)]
        self.by_id = {op.operation_id: op for op in self.operations}

    def route(self, method: str, path: str) -> Route | None:
        """None when no contract path matches (the app answers: dashboard, 404...)."""
        allowed: list[str] = []
        for op in self.operations:
            match = op.path_pattern.fullmatch(path)
            if match is None:
                continue
            if op.method == method:
                return Route(op, match.groupdict(), ())
            allowed.append(op.method)
        if not allowed:
            return None
        return Route(None, {}, tuple(sorted(allowed)))
