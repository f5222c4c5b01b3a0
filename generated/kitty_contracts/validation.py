# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
"""JSON Schema 2020-12 validators for every contract component, read from the bundled contract.

The pydantic models approximate the contract; these validators are the contract (formats,
`not`, `if`/`then`). Import has no side effect: the bundle is read on first use.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ComponentName = Literal[
    "Provider",
    "ResourceType",
    "MatchType",
    "StatusCategory",
    "OriginCandidate",
    "IssueSearchRequest",
    "IssueSearchResponse",
    "OriginBindRequest",
    "OriginBindResponse",
    "OperationStatus",
    "Operation",
    "ErrorCode",
    "ErrorCategory",
    "ErrorDetail",
    "ErrorEnvelope",
    "MissionOriginBoundPayload",
    "EventEnvelope",
    "EventBatchRequest",
    "EventResult",
    "EventBatchResponse",
    "DossierPushRequest",
    "DossierPushResponse",
    "OriginTicket",
    "MissionMeta",
    "TrackerBinding",
    "KittifyConfig",
    "TaskTrackersConfig",
    "TokenRefreshRequest",
    "TokenResponse",
    "CurrentUser",
]

_URN = "urn:kitty-contract"


@cache
def _text(name: str) -> str:
    return (files(__package__) / name).read_text(encoding="utf-8")


def openapi_document() -> dict[str, Any]:
    """The bundled contract (the document the mock serves verbatim); a fresh copy per call."""
    document: dict[str, Any] = json.loads(_text("openapi.json"))
    return document


@cache
def _registry() -> Registry:  # type: ignore[type-arg]
    resource = Resource.from_contents(openapi_document(), default_specification=DRAFT202012)
    return Registry().with_resource(_URN, resource)  # type: ignore[no-any-return]


@cache
def validator(name: ComponentName) -> Draft202012Validator:
    """A validator of `#/components/schemas/<name>` with format checks on."""
    return Draft202012Validator(
        {"$ref": f"{_URN}#/components/schemas/{name}"},
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def admin_document() -> dict[str, Any]:
    """The bundled admin contract of the mock SaaS (contracts/admin.yaml); a fresh copy per call."""
    document: dict[str, Any] = json.loads(_text("admin_openapi.json"))
    return document


@cache
def admin_validator(name: str) -> Draft202012Validator:
    """A validator of the admin contract's `#/components/schemas/<name>`."""
    resource = Resource.from_contents(admin_document(), default_specification=DRAFT202012)
    registry = Registry().with_resource(_URN + ":admin", resource)  # type: ignore[var-annotated]
    return Draft202012Validator(
        {"$ref": f"{_URN}:admin#/components/schemas/{name}"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
