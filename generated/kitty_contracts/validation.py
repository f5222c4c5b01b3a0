# Copied from tools/contract_runtime/ by `make generate` (contract data is read from the
# bundled openapi.json next to it). Do not edit.
"""JSON Schema 2020-12 validators for every contract component, read from the bundled contract.

The pydantic models approximate the contract; these validators are the contract (formats,
`not`, `if`/`then`). Valid input is decided by `jsonschema_rs` (Rust, ~1 us); only invalid
input goes through `jsonschema` too, for its detailed, located errors. A contract test keeps
the two engines in agreement. Import has no side effect: the bundle is read on first use.

`make generate` copies this module into `generated/kitty_contracts/`; it is written, linted and
type-checked here, in `tools/contract_runtime/`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache, cached_property
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import jsonschema_rs
from kitty_contracts.component_names import ComponentName

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

__all__ = [
    "ComponentName",
    "ContractValidator",
    "admin_document",
    "admin_validator",
    "openapi_document",
    "validator",
]

_URN = "urn:kitty-contract"
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@cache
def _text(name: str) -> str:
    return (files("kitty_contracts") / name).read_text(encoding="utf-8")


def openapi_document() -> dict[str, Any]:
    """The bundled contract (the document the mock serves verbatim); a fresh copy per call."""
    document: dict[str, Any] = json.loads(_text("openapi.json"))
    return document


def admin_document() -> dict[str, Any]:
    """The bundled admin contract of the mock SaaS (contracts/admin.yaml); a fresh copy per call."""
    document: dict[str, Any] = json.loads(_text("admin_openapi.json"))
    return document


class ContractValidator:
    """Validates instances of one component: `is_valid` and located `iter_errors`."""

    def __init__(self, document: dict[str, Any], name: str) -> None:
        self.name = name
        self._document = document
        root = {"$schema": _DIALECT, "components": document["components"]}
        self._fast = jsonschema_rs.Draft202012Validator(
            {**root, "$ref": f"#/components/schemas/{name}"}, validate_formats=True
        )

    @cached_property
    def detailed(self) -> Draft202012Validator:
        """The `jsonschema` engine, built on first use: importing it takes a second or more."""
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        registry = Registry().with_resource(
            _URN, Resource.from_contents(self._document, default_specification=DRAFT202012)
        )
        return Draft202012Validator(
            {"$ref": f"{_URN}#/components/schemas/{self.name}"},
            registry=registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )

    def is_valid(self, instance: Any) -> bool:
        return bool(self._fast.is_valid(instance))

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        if self._fast.is_valid(instance):
            return iter(())
        return self.detailed.iter_errors(instance)


@cache
def validator(name: ComponentName) -> ContractValidator:
    """The validator of `#/components/schemas/<name>` (format checks on)."""
    return ContractValidator(openapi_document(), name)


@cache
def admin_validator(name: str) -> ContractValidator:
    """The validator of the admin contract's `#/components/schemas/<name>`."""
    return ContractValidator(admin_document(), name)
