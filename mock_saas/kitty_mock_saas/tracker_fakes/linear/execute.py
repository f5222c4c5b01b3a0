"""One GraphQL request against Linear's schema: parse, validate, execute, shape the answer.

A document that does not parse or validate, and variables that do not fit it, are answered
HTTP 400 before anything runs, as Linear does; otherwise HTTP 200 with `data` and, when a
resolver failed, `errors` (an error on a non-null root field nulls `data`, as GraphQL says).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    execute_sync,
    parse,
    validate,
)

from kitty_mock_saas.store import StoreUnavailable

from .defaults import resolve_field, resolve_type
from .errors import LinearError, error_entry

__all__ = ["GraphQLAnswer", "is_read", "operation_of", "run_document"]

Json = dict[str, Any]
GraphQLAnswer = tuple[int, Json]
_REQUEST_ERROR = {"type": "graphql error", "code": "GRAPHQL_VALIDATION_FAILED", "userError": True}


@functools.lru_cache(maxsize=512)
def _prepared(schema: GraphQLSchema, query: str) -> DocumentNode | tuple[GraphQLError, ...]:
    """The parsed document when it validates, else its errors (documents repeat: cached)."""
    try:
        document = parse(query)
    except GraphQLError as syntax:
        return (syntax,)
    problems = validate(schema, document)
    return tuple(problems) if problems else document


def is_read(schema: GraphQLSchema, query: str, operation_name: str | None) -> bool:
    """Whether `query` is a valid document whose operation to run is a query."""
    prepared = _prepared(schema, query)
    if isinstance(prepared, tuple):
        return False
    operation = operation_of(prepared, operation_name)
    return operation is not None and operation.operation.value == "query"


def operation_of(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    """The operation `name` of `document` (the only one when `name` is None)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


def run_document(
    schema: GraphQLSchema,
    query: str,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
    *,
    roots: Mapping[str, Json],
    context: Any,
) -> tuple[int, Json, OperationDefinitionNode | None]:
    """Status, answer body and the operation that ran (None when nothing ran)."""
    prepared = _prepared(schema, query)
    if isinstance(prepared, tuple):
        return 400, {"errors": [_request_error(e) for e in prepared]}, None
    operation = operation_of(prepared, operation_name)
    kind = operation.operation.value if operation else "query"
    result = execute_sync(
        schema,
        prepared,
        root_value=roots.get(kind, {}),
        context_value=context,
        variable_values=dict(variables or {}),
        operation_name=operation_name,
        field_resolver=resolve_field,
        type_resolver=resolve_type,
    )
    for error in result.errors or ():
        if isinstance(error.original_error, StoreUnavailable):
            # The world's database out of reach is the mock's own failure, not Linear's answer.
            raise error.original_error
    if result.data is None and result.errors and all(e.path is None for e in result.errors):
        # Variables that do not fit the document, or no operation to run: a bad request.
        return 400, {"errors": [_request_error(e) for e in result.errors]}, None
    body: Json = {}
    if result.errors:
        body["errors"] = [_execution_error(e) for e in result.errors]
    body["data"] = result.data
    return 200, body, operation


def _locations(error: GraphQLError) -> list[Json] | None:
    if not error.locations:
        return None
    return [{"line": loc.line, "column": loc.column} for loc in error.locations]


def _request_error(error: GraphQLError) -> Json:
    return error_entry(error.message, dict(_REQUEST_ERROR), locations=_locations(error))


def _execution_error(error: GraphQLError) -> Json:
    original = error.original_error
    if isinstance(original, LinearError):
        extensions = original.extensions()
    else:
        # A bug of the fake, reported the way Linear reports its own internal errors.
        extensions = {"type": "internal error", "code": "INTERNAL_SERVER_ERROR", "userError": False}
    return error_entry(
        error.message,
        extensions,
        path=list(error.path) if error.path else None,
        locations=_locations(error),
    )
