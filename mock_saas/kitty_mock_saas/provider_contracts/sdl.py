"""Linear's GraphQL schema as committed in `linear/schema.graphql`, and checks against it.

The subset holds the root fields the Linear fake serves and every type they reach, verbatim
from Linear's published SDL (`linear/source.json` says where from). The fake executes it;
tests validate the documents clients send (`document_problems`) and every answer the fake
gives (`answer_problems`) against it.

Usage::

    assert document_problems(query) == []
    assert answer_problems(query, variables, response.json()) == []
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    build_schema,
    is_abstract_type,
    parse,
    validate,
)
from graphql.utilities import value_from_ast_untyped

__all__ = ["answer_problems", "document_problems", "linear_schema", "linear_sdl"]

_LINEAR = Path(__file__).resolve().parent / "linear" / "schema.graphql"


@cache
def linear_sdl() -> str:
    """The committed SDL text."""
    return _LINEAR.read_text(encoding="utf-8")


@cache
def linear_schema() -> GraphQLSchema:
    """The committed SDL as a graphql-core schema (shared: do not mutate it)."""
    # Built at every start of a process serving Linear: no source locations (a quarter of the
    # time), and the SDL is Linear's own, checked when it is extracted.
    return build_schema(linear_sdl(), no_location=True, assume_valid_sdl=True)


def document_problems(query: str) -> list[str]:
    """Why Linear's schema refuses the document `query` (empty when it validates)."""
    return [error.message for error in validate(linear_schema(), parse(query))]


def answer_problems(
    query: str,
    variables: Mapping[str, Any] | None,
    body: Any,
    operation_name: str | None = None,
) -> list[str]:
    """Where the JSON answer `body` to `query` departs from what Linear's schema allows.

    The `data` must hold exactly the selected fields, each of its declared type (non-null,
    list, scalar, enum value, object); `errors` must be a list of entries with a message.
    Where the answer has errors, a null may stand for any value (errors null their fields).
    """
    if not isinstance(body, Mapping):
        return ["the answer is not a JSON object"]
    problems = [f"unexpected member {key!r}" for key in body if key not in _MEMBERS]
    problems += _error_problems(body.get("errors"))
    try:
        document = parse(query)
    except GraphQLError:
        # A document that does not parse gets errors only.
        return (
            problems
            if body.get("data") is None and body.get("errors")
            else [*problems, "data for a document that does not parse"]
        )
    checker = _AnswerChecker(document, dict(variables or {}), bool(body.get("errors")))
    if "data" not in body or body["data"] is None:
        if not body.get("errors"):
            problems.append("no data and no errors")
        return problems
    operation = checker.operation(operation_name)
    if operation is None:
        return [*problems, "the document has no such operation"]
    root = linear_schema().get_root_type(operation.operation)
    assert root is not None
    checker.check_object(body["data"], [operation.selection_set], root, "data")
    return problems + checker.problems


_MEMBERS = ("data", "errors", "extensions")


def _error_problems(errors: Any) -> list[str]:
    if errors is None:
        return []
    if not isinstance(errors, list) or not errors:
        return ["errors is not a non-empty list"]
    return [
        f"errors[{i}] has no message"
        for i, error in enumerate(errors)
        if not isinstance(error, Mapping) or not isinstance(error.get("message"), str)
    ]


class _AnswerChecker:
    def __init__(self, document: DocumentNode, variables: dict[str, Any], errors: bool) -> None:
        self.document, self.variables, self.nulls_allowed = document, variables, errors
        self.schema = linear_schema()
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.problems: list[str] = []

    def operation(self, name: str | None) -> OperationDefinitionNode | None:
        operations = [
            d for d in self.document.definitions if isinstance(d, OperationDefinitionNode)
        ]
        if name is None:
            return operations[0] if len(operations) == 1 else None
        return next((o for o in operations if o.name and o.name.value == name), None)

    def check_object(
        self, value: Any, selections: list[SelectionSetNode], type_: Any, path: str
    ) -> None:
        if not isinstance(value, Mapping):
            self.problems.append(f"{path}: not an object")
            return
        runtime = type_
        if is_abstract_type(type_):
            named = self.schema.type_map.get(str(value.get("__typename")))
            runtime = named if isinstance(named, GraphQLObjectType) else None
        fields: dict[str, list[FieldNode]] = {}
        for selection_set in selections:
            self._collect(selection_set, runtime or type_, fields)
        for key in value:
            if key not in fields and runtime is not None:
                self.problems.append(f"{path}.{key}: not selected")
        for key, nodes in fields.items():
            if key not in value:
                self.problems.append(f"{path}.{key}: missing")
                continue
            name = nodes[0].name.value
            if name == "__typename":
                if runtime is not None and value[key] != runtime.name:
                    self.problems.append(f"{path}.{key}: {value[key]!r} is not {runtime.name}")
                continue
            owner = runtime or type_
            field = owner.fields.get(name)
            if field is None:
                self.problems.append(f"{path}.{key}: {owner.name} has no field {name}")
                continue
            subs = [n.selection_set for n in nodes if n.selection_set is not None]
            self.check_value(value[key], field.type, subs, f"{path}.{key}")

    def check_value(
        self, value: Any, type_: GraphQLOutputType, subs: list[SelectionSetNode], path: str
    ) -> None:
        if isinstance(type_, GraphQLNonNull):
            if value is None:
                if not self.nulls_allowed:
                    self.problems.append(f"{path}: null for non-null {type_}")
                return
            type_ = type_.of_type
        if value is None:
            return
        if isinstance(type_, GraphQLList):
            if not isinstance(value, list):
                self.problems.append(f"{path}: not a list")
                return
            for i, item in enumerate(value):
                self.check_value(item, type_.of_type, subs, f"{path}[{i}]")
        elif isinstance(type_, GraphQLScalarType):
            if not _scalar_ok(type_.name, value):
                self.problems.append(f"{path}: {value!r} is not a {type_.name}")
        elif isinstance(type_, GraphQLEnumType):
            if value not in type_.values:
                self.problems.append(f"{path}: {value!r} is not a value of {type_.name}")
        else:
            self.check_object(value, subs, type_, path)

    def _collect(
        self, selection_set: SelectionSetNode, runtime: Any, out: dict[str, list[FieldNode]]
    ) -> None:
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                out.setdefault(key, []).append(selection)
                continue
            if isinstance(selection, InlineFragmentNode):
                condition, inner = selection.type_condition, selection.selection_set
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                condition, inner = fragment.type_condition, fragment.selection_set
            else:
                continue
            if condition is None or self._applies(condition.name.value, runtime):
                self._collect(inner, runtime, out)

    def _applies(self, condition: str, runtime: Any) -> bool:
        target = self.schema.type_map[condition]
        if target is runtime:
            return True
        if is_abstract_type(target) and isinstance(runtime, GraphQLObjectType):
            return self.schema.is_sub_type(target, runtime)
        return False

    def _included(self, selection: Any) -> bool:
        for directive in selection.directives or ():
            if directive.name.value not in ("skip", "include"):
                continue
            argument = next((a for a in directive.arguments if a.name.value == "if"), None)
            flag = (
                bool(value_from_ast_untyped(argument.value, self.variables)) if argument else True
            )
            if (directive.name.value == "skip") == flag:
                return False
        return True


def _scalar_ok(name: str, value: Any) -> bool:
    if name in ("ID", "String"):
        return isinstance(value, str)
    if name == "Int":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "Float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if name == "Boolean":
        return isinstance(value, bool)
    if name in ("DateTime", "DateTimeOrDuration"):
        return isinstance(value, str) and _parses(datetime.fromisoformat, value)
    if name in ("TimelessDate", "TimelessDateOrDuration"):
        return isinstance(value, str) and _parses(date.fromisoformat, value)
    if name == "UUID":
        return isinstance(value, str) and _parses(uuid.UUID, value)
    if name == "JSONObject":
        return isinstance(value, Mapping)
    if name == "JSON":
        return True
    return isinstance(value, str)


def _parses(parser: Any, text: str) -> bool:
    try:
        parser(text)
    except ValueError:
        return False
    return True
