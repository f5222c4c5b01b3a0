"""Checking an answer against its operation: documented status, content type, headers and body."""

from __future__ import annotations

import json
from collections.abc import Iterable

from .body import deeper_than
from .operations import Operation


def violations(
    operation: Operation, status: int, headers: Iterable[tuple[bytes, bytes]], body: bytes
) -> list[str]:
    """Each way the answer breaks the contract; empty when it conforms."""
    spec = operation.responses.get(str(status)) or operation.responses.get("default")
    if spec is None:
        documented = ", ".join(sorted(operation.responses))
        return [f"status {status} is not documented for {operation.operation_id} ({documented})"]
    found: list[str] = []
    values = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in headers}
    for name, check in spec.headers.items():
        if name in values:
            found.extend(f"header {name}: {e.message}" for e in check.errors(values[name]))
    if spec.body is None:
        return found
    content_type = values.get("content-type", "").partition(";")[0].strip()
    if content_type != "application/json":
        return [*found, f"content type {content_type!r} instead of application/json"]
    depth = operation.limits.json_depth
    too_deep = f"body: nested more than {depth} levels deep, not checked further"
    try:
        document = json.loads(body)
    except ValueError as exc:
        return [*found, f"the body is not JSON: {exc}"]
    except RecursionError:
        # The parser recurses once per level: far deeper than the limit.
        return [*found, too_deep]
    # The schema check recurses too: an answer deeper than a request may be is a finding, not a crash.
    if deeper_than(document, depth, body):
        return [*found, too_deep]
    for error in spec.body.errors(document):
        where = "/".join(str(p) for p in error.absolute_path)
        found.append(f"body/{where}: {error.message[:300]}")
    return found[:10]
