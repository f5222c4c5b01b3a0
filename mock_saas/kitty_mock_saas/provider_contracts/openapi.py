"""Holds HTTP exchanges to a provider's OpenAPI description: the request a client sent (its
parameters and body) and the answer a fake gave (a documented status, a body of its schema).

Each check returns a list of problems, empty when the exchange is what the description allows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker

from .oas30 import convert_components, to_json_schema

__all__ = ["OpenApiContract", "OperationMatch"]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_NO_BODY = {204, 304}


@dataclass(frozen=True)
class OperationMatch:
    """The described operation a request lands on."""

    method: str  # lower case
    template: str  # the path as the description spells it
    path_params: dict[str, str]
    operation: dict[str, Any]
    path_item: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.method.upper()} {self.template}"


class _Schema:
    """One schema compiled twice: jsonschema-rs decides fast, jsonschema explains failures."""

    def __init__(self, schema: Any, schemas: dict[str, Any]) -> None:
        root = {"$schema": _DRAFT, "components": {"schemas": schemas}}
        if isinstance(schema, dict):
            root.update(schema)
        self._root = root
        self._fast = jsonschema_rs.validator_for(root, validate_formats=True)

    @cached_property
    def _slow(self) -> Draft202012Validator:
        return Draft202012Validator(self._root, format_checker=FormatChecker())

    def problems(self, value: Any, where: str) -> list[str]:
        if self._fast.is_valid(value):
            return []
        found = [f"{where} at {e.json_path}: {e.message}" for e in self._errors(value)]
        return found or [f"{where}: invalid against its schema"]

    def _errors(self, value: Any) -> Iterable[Any]:
        return sorted(self._slow.iter_errors(value), key=lambda e: list(e.path))[:5]


class OpenApiContract:
    """One provider's OpenAPI 3.0 description, ready to check exchanges against.

    `path_rewrites` map the provider's real URL forms onto the described paths (regex,
    replacement); `general_responses` are the statuses any operation may answer (status →
    `$ref` of the body schema), e.g. authentication failures and rate limits.
    """

    def __init__(
        self,
        document: Mapping[str, Any],
        *,
        path_rewrites: Sequence[tuple[str, str]] = (),
        general_responses: Mapping[str, str] | None = None,
    ) -> None:
        self.document = document
        self._rewrites = [(re.compile(p), r) for p, r in path_rewrites]
        self._general = dict(general_responses or {})
        self._components = convert_components(dict(document.get("components", {})))
        self._schemas: dict[str, _Schema] = {}
        # Literal segments before parameters: /issues/events wins over /issues/{issue_number}.
        self._templates = sorted(
            document.get("paths", {}),
            key=lambda t: [(s.startswith("{"), s) for s in t.strip("/").split("/")],
        )

    # -- matching -------------------------------------------------------------------------

    def described_path(self, path: str) -> str:
        """`path` (a real URL path) in the form the description spells."""
        for pattern, replacement in self._rewrites:
            path = pattern.sub(replacement, path, count=1)
        return path

    def match(self, method: str, path: str) -> OperationMatch | None:
        """The operation `method path` lands on, or None when the description has none."""
        method = method.lower()
        segments = self.described_path(path).rstrip("/").split("/")
        for template in self._templates:
            params = _match_template(template, segments)
            item = self.document["paths"][template]
            if params is not None and method in item:
                return OperationMatch(method, template, params, item[method], item)
        return None

    # -- answers --------------------------------------------------------------------------

    def response_problems(
        self, method: str, path: str, status: int, content_type: str | None, body: bytes
    ) -> list[str]:
        """What is wrong with answering `method path` with `status` and `body`."""
        where = f"{method.upper()} {path} -> {status}"
        match = self.match(method, path)
        if match is None:
            if status in (404, 405) and "404" in self._general:
                return self._body_problems(
                    {"$ref": self._general["404"]}, content_type, body, where
                )
            return [f"{where}: the description has no such operation"]
        response = self._documented(match.operation, status)
        if response is None:
            return [f"{where}: status {status} is not documented for {match.name}"]
        if status in _NO_BODY:
            return [f"{where}: a {status} has no body"] if body.strip() else []
        media = _json_media(response.get("content", {}))
        if media is None or "schema" not in media:
            return []  # documented without a body schema: nothing more to hold it to
        return self._body_problems(media["schema"], content_type, body, where)

    def _documented(self, operation: Mapping[str, Any], status: int) -> dict[str, Any] | None:
        responses = operation.get("responses", {})
        for key in (str(status), f"{status // 100}XX", "default"):
            if key in responses:
                return self._resolve(responses[key])
        general = self._general.get(str(status))
        if general is not None:
            return {"content": {"application/json": {"schema": {"$ref": general}}}}
        return None

    def _body_problems(
        self, schema: Any, content_type: str | None, body: bytes, where: str
    ) -> list[str]:
        if content_type is None or "json" not in content_type.lower():
            return [f"{where}: answered {content_type or 'no content type'}, not JSON"]
        try:
            value = json.loads(body)
        except ValueError:
            return [f"{where}: the body is not JSON"]
        return self._schema(schema).problems(value, where)

    # -- requests -------------------------------------------------------------------------

    def request_problems(
        self,
        method: str,
        path: str,
        query: Sequence[tuple[str, str]],
        content_type: str | None,
        body: bytes,
    ) -> list[str]:
        """What is wrong with the request `method path?query` and its `body`."""
        where = f"{method.upper()} {path}"
        match = self.match(method, path)
        if match is None:
            return [f"{where}: the description has no such operation"]
        parameters = [
            self._resolve(p)
            for p in [
                *match.path_item.get("parameters", []),
                *match.operation.get("parameters", []),
            ]
        ]
        problems: list[str] = []
        sent: dict[str, list[str]] = {}
        for name, value in query:
            sent.setdefault(name, []).append(value)
        declared = {p["name"] for p in parameters if p.get("in") == "query"}
        problems += [
            f"{where}: query parameter {n!r} is not defined" for n in sent if n not in declared
        ]
        for parameter in parameters:
            kind, name = parameter.get("in"), parameter["name"]
            if kind == "path":
                values = [match.path_params[name]] if name in match.path_params else []
            elif kind == "query":
                values = sent.get(name, [])
            else:
                continue  # headers and cookies are the client library's business
            if not values:
                if parameter.get("required"):
                    problems.append(f"{where}: required {kind} parameter {name!r} is missing")
                continue
            schema = parameter.get("schema", {})
            for value in values:
                problems += self._schema(schema).problems(
                    _coerce(value, to_json_schema(schema)), f"{where} {kind} parameter {name}"
                )
        return problems + self._request_body_problems(match, content_type, body, where)

    def _request_body_problems(
        self, match: OperationMatch, content_type: str | None, body: bytes, where: str
    ) -> list[str]:
        declared = match.operation.get("requestBody")
        if declared is None:
            return [f"{where}: sends a body the operation does not take"] if body.strip() else []
        declared = self._resolve(declared)
        if not body.strip():
            return [f"{where}: the request body is missing"] if declared.get("required") else []
        media = _json_media(declared.get("content", {}))
        if media is None or "schema" not in media:
            return []
        return self._body_problems(media["schema"], content_type, body, f"{where} request body")

    # -- schemas --------------------------------------------------------------------------

    def _resolve(self, node: Any) -> dict[str, Any]:
        while isinstance(node, dict) and "$ref" in node:
            node = _pointer(self.document, node["$ref"])
        if not isinstance(node, dict):
            raise TypeError(f"expected an object, got {node!r}")
        return node

    def _schema(self, schema: Any) -> _Schema:
        key = json.dumps(schema, sort_keys=True)
        compiled = self._schemas.get(key)
        if compiled is None:
            compiled = _Schema(to_json_schema(schema), self._components["schemas"])
            self._schemas[key] = compiled
        return compiled


def _match_template(template: str, segments: list[str]) -> dict[str, str] | None:
    parts = template.rstrip("/").split("/")
    if len(parts) != len(segments):
        return None
    params: dict[str, str] = {}
    for part, segment in zip(parts, segments, strict=True):
        if part.startswith("{") and part.endswith("}"):
            if not segment:
                return None
            params[part[1:-1]] = segment
        elif part != segment:
            return None
    return params


def _json_media(content: Mapping[str, Any]) -> dict[str, Any] | None:
    for media_type, media in content.items():
        if "json" in media_type or media_type == "*/*":
            return dict(media)
    return None


def _coerce(value: str, schema: Mapping[str, Any]) -> Any:
    """A query or path string as the type its schema names (left a string when it is not)."""
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "integer" in kinds and re.fullmatch(r"-?\d+", value):
        return int(value)
    if "number" in kinds:
        try:
            return float(value)
        except ValueError:
            return value
    if "boolean" in kinds and value in ("true", "false"):
        return value == "true"
    if "array" in kinds:
        return [_coerce(item, schema.get("items", {})) for item in value.split(",")]
    return value


def _pointer(document: Mapping[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node
