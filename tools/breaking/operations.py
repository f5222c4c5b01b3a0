"""Walk the operations of two OpenAPI documents side by side: parameters, request bodies,
responses (per status and media type) and response headers.

Operations are matched by method and path (path parameter names aside) and named by operationId.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .context import Comparison
from .document import Node
from .findings import child
from .schemas import compare_schema

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE = re.compile(r"\{[^}]*\}")


def compare_operations(cmp: Comparison) -> None:
    """Compare every operation of the old document with its counterpart in the new one."""
    old_ops, new_ops = _operations(cmp, old_side=True), _operations(cmp, old_side=False)
    error_shapes = _error_shapes(cmp, old_ops)
    for key, old in old_ops.items():
        cmp.operation = _name(old.operation, key)
        new = new_ops.get(key)
        if new is None:
            cmp.report("operation.removed", "/paths", old.operation.pointer, cmp.operation, None)
            continue
        _parameters(cmp, old, new)
        _request_body(cmp, old.operation, new.operation)
        _responses(cmp, old.operation, new.operation, error_shapes)
    cmp.operation = ""


class _Operation(NamedTuple):
    path: str
    item: Node
    operation: Node


def _operations(cmp: Comparison, *, old_side: bool) -> dict[str, _Operation]:
    """`METHOD /path/{}` -> the operation with its path and path item, resolved."""
    document = cmp.old if old_side else cmp.new
    found: dict[str, _Operation] = {}
    for path, item in document.root().entries("paths").items():
        item = document.resolve(item)
        for method in METHODS:
            operation = item.get(method)
            if operation is not None and isinstance(operation.value, dict):
                key = f"{method.upper()} {_TEMPLATE.sub('{}', path)}"
                found[key] = _Operation(path, item, operation)
    return found


def _name(operation: Node, key: str) -> str:
    operation_id = operation.value.get("operationId")
    return operation_id if isinstance(operation_id, str) else key


def _parameters(cmp: Comparison, old: _Operation, new: _Operation) -> None:
    old_params = _params_of(cmp, old, old_side=True)
    new_params = _params_of(cmp, new, old_side=False)
    for key, new_param in new_params.items():
        required = new_param.value.get("required") is True
        old_param = old_params.get(key)
        if old_param is None:
            if required:
                cmp.report(
                    "request.parameter.new_required",
                    new_param.pointer,
                    old.operation.pointer,
                    None,
                    key,
                )
            continue
        if required and old_param.value.get("required") is not True:
            cmp.report(
                "request.parameter.now_required",
                child(new_param.pointer, "required"),
                old_param.pointer,
                False,
                True,
            )
        old_schema, new_schema = _schema_of(old_param), _schema_of(new_param)
        if old_schema and new_schema:
            compare_schema(cmp, "request", old_schema, new_schema)


def _params_of(cmp: Comparison, op: _Operation, *, old_side: bool) -> dict[str, Node]:
    """The operation's parameters by `in:name`, path-level ones first.

    Header names are folded (HTTP ignores their case) and path parameters are keyed by position,
    since renaming `{id}` changes nothing on the wire.
    """
    document = cmp.old if old_side else cmp.new
    positions = {name: i for i, name in enumerate(_TEMPLATE.findall(op.path))}
    found: dict[str, Node] = {}
    for param in [*op.item.items("parameters"), *op.operation.items("parameters")]:
        param = document.resolve(param)
        if isinstance(param.value, dict) and "name" in param.value:
            where, name = param.value.get("in", ""), str(param.value["name"])
            if where == "header":
                name = name.lower()
            elif where == "path":
                name = f"#{positions.get('{' + name + '}', name)}"
            found[f"{where}:{name}"] = param
    return found


def _schema_of(holder: Node) -> Node | None:
    """A parameter's or header's schema, directly or through its single `content` entry."""
    schema = holder.get("schema")
    if schema is not None:
        return schema
    for media in holder.entries("content").values():
        return media.get("schema")
    return None


def _request_body(cmp: Comparison, old_op: Node, new_op: Node) -> None:
    old_body, new_body = old_op.get("requestBody"), new_op.get("requestBody")
    if new_body is None:
        return
    new_body = cmp.new.resolve(new_body)
    required = new_body.value.get("required") is True
    if old_body is None:
        if required:
            cmp.report("request.body.new_required", new_body.pointer, old_op.pointer, None, True)
        return
    old_body = cmp.old.resolve(old_body)
    if required and old_body.value.get("required") is not True:
        cmp.report(
            "request.body.now_required",
            child(new_body.pointer, "required"),
            old_body.pointer,
            False,
            True,
        )
    old_media, new_media = old_body.entries("content"), new_body.entries("content")
    for media_type, old_entry in old_media.items():
        new_entry = new_media.get(media_type)
        if new_entry is None:
            parent = new_body.at("content")
            cmp.report("request.media_type.removed", parent, old_entry.pointer, media_type, None)
            continue
        old_schema, new_schema = old_entry.get("schema"), new_entry.get("schema")
        if old_schema and new_schema:
            compare_schema(cmp, "request", old_schema, new_schema)


def _is_success(status: str) -> bool:
    return status.startswith("2")


def _error_shapes(cmp: Comparison, old_ops: dict[str, _Operation]) -> set[str]:
    """Where the old document's error bodies point: the error shapes its clients know."""
    shapes: set[str] = set()
    for _, _, operation in old_ops.values():
        for status, response in operation.entries("responses").items():
            if _is_success(status):
                continue
            for media in cmp.old.resolve(response).entries("content").values():
                schema = media.get("schema")
                if schema is not None:
                    shapes.add(cmp.old.resolve(schema).pointer)
    return shapes


def _responses(cmp: Comparison, old_op: Node, new_op: Node, error_shapes: set[str]) -> None:
    old_responses, new_responses = old_op.entries("responses"), new_op.entries("responses")
    parent_new, parent_old = new_op.at("responses"), old_op.at("responses")
    for status, old_response in old_responses.items():
        new_response = new_responses.get(status)
        if new_response is None:
            if _is_success(status):
                cmp.report(
                    "response.status.success_removed",
                    parent_new,
                    old_response.pointer,
                    status,
                    None,
                )
            continue
        _response(cmp, cmp.old.resolve(old_response), cmp.new.resolve(new_response))
    for status in new_responses.keys() - old_responses.keys():
        new_response = cmp.new.resolve(new_responses[status])
        if _is_success(status):
            # The client checks the status of every answer against the ones it was built with.
            cmp.report(
                "response.status.success_added", new_response.pointer, parent_old, None, status
            )
        elif not _has_error_shape(cmp, new_response, error_shapes):
            cmp.report(
                "response.status.undocumented_error", new_response.pointer, parent_old, None, status
            )


def _has_error_shape(cmp: Comparison, response: Node, error_shapes: set[str]) -> bool:
    media = response.entries("content")
    schemas = [entry.get("schema") for entry in media.values()]
    return bool(schemas) and all(
        schema is not None and cmp.new.resolve(schema).pointer in error_shapes for schema in schemas
    )


def _response(cmp: Comparison, old: Node, new: Node) -> None:
    old_headers = {name.lower(): node for name, node in old.entries("headers").items()}
    new_headers = {name.lower(): node for name, node in new.entries("headers").items()}
    for name, old_header in old_headers.items():
        new_header = new_headers.get(name)
        if new_header is None:
            parent = new.at("headers")
            cmp.report("response.header.removed", parent, old_header.pointer, name, None)
            continue
        old_header, new_header = cmp.old.resolve(old_header), cmp.new.resolve(new_header)
        if (
            old_header.value.get("required") is True
            and new_header.value.get("required") is not True
        ):
            cmp.report(
                "response.header.now_optional",
                new_header.pointer,
                child(old_header.pointer, "required"),
                True,
                False,
            )
        old_schema, new_schema = _schema_of(old_header), _schema_of(new_header)
        if old_schema and new_schema:
            compare_schema(cmp, "response", old_schema, new_schema)
    old_media, new_media = old.entries("content"), new.entries("content")
    for media_type, new_entry in new_media.items():
        old_entry = old_media.get(media_type)
        if old_entry is None:
            if old_media:
                parent = old.at("content")
                cmp.report("response.media_type.added", new_entry.pointer, parent, None, media_type)
            continue
        old_schema, new_schema = old_entry.get("schema"), new_entry.get("schema")
        if old_schema and new_schema:
            compare_schema(cmp, "response", old_schema, new_schema)
