"""Checking a request against its operation: header budget, parameters and the parsed body.

A refusal names every offending field (`details`), as `header.X`, `query.x`, `path.x` or
`body.a.b`. A schema may name the error code its refusal carries with `x-error-code` (on the
failing subschema or the failing keyword's value, whose `description` then names the issue);
otherwise it is `validation_failed`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from kitty_contracts import ErrorCode

from kitty_mock_saas.errors import ApiError

from . import body as bodies
from .operations import Operation, SchemaCheck

if TYPE_CHECKING:
    from jsonschema import ValidationError

_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_MAX_DETAILS = 20


def check_header_budget(headers: Iterable[tuple[bytes, bytes]], limit: int) -> None:
    """Raises ApiError malformed_request when the request's header fields exceed `limit` bytes."""
    size = sum(len(name) + len(value) + 4 for name, value in headers)
    if size > limit:
        raise ApiError(
            ErrorCode.malformed_request,
            f"The request headers are {size:,} bytes; at most {limit:,} are allowed.",
            details=[("header", f"at most {limit} bytes of header fields")],
        )


def _coerce(text: str, schema: Mapping[str, Any]) -> Any:
    """A parameter's text as the type its schema names; the text itself when it is not one."""
    kinds = schema.get("type", "string")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    if "integer" in kinds and _INTEGER.fullmatch(text) and len(text) <= 40:
        return int(text)
    if "number" in kinds and _NUMBER.fullmatch(text) and len(text) <= 40:
        return float(text)
    if "boolean" in kinds and text in ("true", "false"):
        return text == "true"
    return text


def _schema_issues(check: SchemaCheck, value: Any, prefix: str) -> list[tuple[str, str, str]]:
    """(field, issue, error code) of each way `value` breaks the schema."""
    return [
        (".".join([prefix, *(str(p) for p in e.absolute_path)]), _issue_of(e), _code_of(e))
        for e in check.errors(value)
    ]


def _issue_of(error: ValidationError) -> str:
    # A subschema with a description says what it wants better than "... should not be valid".
    rule = error.validator_value
    if isinstance(rule, Mapping) and isinstance(rule.get("description"), str):
        return str(rule["description"])
    # A misspelt name: say which names the object takes (fault kinds, filters, fields).
    names = error.schema.get("properties") if isinstance(error.schema, Mapping) else None
    if error.validator == "additionalProperties" and rule is False and isinstance(names, Mapping):
        return f"{error.message}; allowed: {', '.join(sorted(names))}"[:2048]
    return error.message[:2048]


def _code_of(error: ValidationError) -> str:
    for holder in (error.validator_value, error.schema):
        if isinstance(holder, Mapping) and "x-error-code" in holder:
            return str(holder["x-error-code"])
    return ErrorCode.validation_failed.value


def _refusal(issues: Sequence[tuple[str, str, str]]) -> ApiError:
    field, issue, code = issues[0]
    return ApiError(
        ErrorCode(code),
        f"Invalid request: {field[:512]}: {issue}"[:4096],
        details=[(f, i) for f, i, _ in issues[:_MAX_DETAILS]],
    )


def check_parameters(
    operation: Operation,
    path_params: Mapping[str, str],
    query_string: bytes,
    headers: Iterable[tuple[bytes, bytes]],
) -> None:
    """Raises ApiError validation_failed naming each missing or invalid parameter."""
    query: dict[str, list[str]] = {}
    for key, text in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        query.setdefault(key, []).append(text)
    header_values: dict[str, list[str]] = {}
    for raw_name, raw_value in headers:
        header_values.setdefault(raw_name.decode("latin-1").lower(), []).append(
            raw_value.decode("latin-1")
        )
    issues: list[tuple[str, str, str]] = []
    for parameter in operation.parameters:
        if parameter.location == "path":
            values = [path_params[parameter.name]] if parameter.name in path_params else []
        elif parameter.location == "query":
            values = query.get(parameter.name, [])
        elif parameter.location == "header":
            values = header_values.get(parameter.name.lower(), [])
        else:
            continue
        field = f"{parameter.location}.{parameter.name}"
        if not values:
            if parameter.required:
                issues.append((field, "required", ErrorCode.validation_failed.value))
            continue
        for text in values:
            issues.extend(_schema_issues(parameter.check, _coerce(text, parameter.schema), field))
    if issues:
        raise _refusal(issues)


def check_body(operation: Operation, value: Any) -> None:
    """Raises ApiError (validation_failed, or the schema's `x-error-code`) naming each field."""
    if operation.body is None:
        return
    issues = _schema_issues(operation.body, value, "body")
    if issues:
        raise _refusal(issues)


def check_request(
    operation: Operation,
    path_params: Mapping[str, str],
    query_string: bytes,
    headers: Sequence[tuple[bytes, bytes]],
    raw: bytes | None,
) -> Any:
    """The parsed body (None when there is none) of a request that conforms to `operation`.

    Parameters first, then the body: decoded (`Content-Encoding`), parsed as the operation's media
    type within its limits, and checked against its schema.

    Raises:
        ApiError: the first part of the request that breaks the contract, naming each field.
    """
    check_parameters(operation, path_params, query_string, headers)
    if raw is None or operation.media_type is None:
        return None
    encoding = next(
        (v.decode("latin-1") for k, v in headers if k.lower() == b"content-encoding"), ""
    )
    data = bodies.decode_content(raw, encoding, operation.limits.body_bytes)
    if not data and not operation.body_required:
        value: Any = {}  # an optional object body left out: the same as an empty one
    elif operation.media_type == "application/x-www-form-urlencoded":
        value = bodies.parse_form(data)
    else:
        value = bodies.parse_json(data, operation.limits)
    check_body(operation, value)
    return value
