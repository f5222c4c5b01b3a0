"""Walk the named examples of the bundled contract: (operation, side, status, name, schema, value)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kitty_contracts.validation import openapi_document


@dataclass(frozen=True)
class NamedExample:
    operation_id: str
    side: str  # "request" or "response"
    status: str | None
    name: str
    schema_name: str
    value: Any

    @property
    def id(self) -> str:
        where = self.side if self.status is None else f"{self.side}-{self.status}"
        return f"{self.operation_id}:{where}:{self.name}"


def _schema_name(media: dict[str, Any]) -> str:
    ref: str = media["schema"]["$ref"]
    return ref.rsplit("/", 1)[-1]


def _resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        parts = node["$ref"].removeprefix("#/").split("/")
        node = doc
        for part in parts:
            node = node[part]
    return node


def named_examples() -> Iterator[NamedExample]:
    doc = openapi_document()
    for item in doc["paths"].values():
        for operation in item.values():
            op_id = operation["operationId"]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                for name, example in body.get("examples", {}).items():
                    yield NamedExample(
                        op_id, "request", None, name, _schema_name(body), example["value"]
                    )
            for status, response in operation["responses"].items():
                media = _resolve(doc, response).get("content", {}).get("application/json")
                if media:
                    for name, example in media.get("examples", {}).items():
                        yield NamedExample(
                            op_id, "response", status, name, _schema_name(media), example["value"]
                        )
