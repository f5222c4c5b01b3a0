"""The providers' own published API descriptions, cut down to what the tracker fakes serve.

Each `<provider>/` folder holds a subset of the provider's description (`openapi.json` for
GitHub and Jira) with `source.json` (source, version, licence, sha256 of the full file it was
cut from). `tools/provider_contracts` writes them; nothing here edits them. Connectors, fakes
and tests read them through this module.

Usage::

    document = openapi_document("github")
    contract = openapi_contract("github")
    problems = contract.response_problems("GET", "/user", 200, "application/json", body)
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .openapi import OpenApiContract, OperationMatch

__all__ = [
    "OPENAPI_PROVIDERS",
    "UNDESCRIBED_PATHS",
    "OpenApiContract",
    "OperationMatch",
    "answer_problems",
    "contract_dir",
    "openapi_contract",
    "openapi_document",
    "provenance",
]

_HERE = Path(__file__).resolve().parent
OPENAPI_PROVIDERS = ("github", "jira")

# How a provider's real URLs map onto the paths its description spells, and the answers it
# may give on any operation (authentication, rate limits, outages) that the description
# documents once rather than per operation. Values are `$ref`s of the body schema.
_GITHUB_ERROR = "#/components/schemas/basic-error"
_JIRA_ERROR = "#/components/schemas/ErrorCollection"
_RULES: dict[str, dict[str, Any]] = {
    "github": {
        # GitHub Enterprise Server serves the API under /api/v3; GitHub's redirects name a
        # repository by id (/repositories/{id}/...), an alias of /repos/{owner}/{repo}/...
        "path_rewrites": (
            (r"^/api/v3(?=/)", ""),
            (r"^/repositories/(\d+)(?=/)", r"/repos/repository-\1/-"),
        ),
        "general_responses": {
            # 400: "Problems parsing JSON", GitHub's answer to a body that does not parse.
            str(status): _GITHUB_ERROR
            for status in (400, 401, 403, 404, 429, 500, 502, 503)
        },
    },
    "jira": {
        # The OAuth 2.0 (3LO) gateway form, and REST v2 (and "latest", which is v2) beside v3.
        "path_rewrites": (
            (r"^/ex/jira/[^/]+(?=/rest/)", ""),
            (r"^/rest/api/(?:2|latest)(?=/)", "/rest/api/3"),
        ),
        "general_responses": {
            str(status): _JIRA_ERROR for status in (400, 401, 403, 404, 429, 500, 502, 503)
        },
    },
}


def __getattr__(name: str) -> Any:
    # The OpenAPI validators import jsonschema, seconds with its format checkers: only on use,
    # so that reading Linear's schema (the Linear fake, at the mock's start) stays cheap.
    if name in ("OpenApiContract", "OperationMatch"):
        from . import openapi

        return getattr(openapi, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def contract_dir(provider: str) -> Path:
    """The folder of `provider`'s committed subset."""
    folder = _HERE / provider
    if not folder.is_dir():
        raise KeyError(f"no provider contract for {provider!r}")
    return folder


@cache
def openapi_document(provider: str) -> dict[str, Any]:
    """`provider`'s OpenAPI subset as published (do not mutate the cached dict)."""
    document: dict[str, Any] = json.loads(
        (contract_dir(provider) / "openapi.json").read_text(encoding="utf-8")
    )
    return document


@cache
def provenance(provider: str) -> dict[str, Any]:
    """Where `provider`'s subset was cut from: source, version, licence, sha256."""
    data: dict[str, Any] = json.loads(
        (contract_dir(provider) / "source.json").read_text(encoding="utf-8")
    )
    return data


@cache
def openapi_contract(provider: str) -> OpenApiContract:
    """A validator of requests and answers against `provider`'s OpenAPI subset."""
    from .openapi import OpenApiContract

    if provider not in OPENAPI_PROVIDERS:
        raise KeyError(f"{provider!r} has no OpenAPI contract")
    return OpenApiContract(openapi_document(provider), **_RULES[provider])


# Paths a fake serves from another API of the same provider, which the committed description
# does not cover: Atlassian's OAuth 2.0 (3LO) site list lives on api.atlassian.com, beside
# the Jira platform REST API.
UNDESCRIBED_PATHS: dict[str, tuple[str, ...]] = {"jira": ("/oauth/token/accessible-resources",)}


def answer_problems(
    provider: str, method: str, path: str, status: int, content_type: str | None, body: bytes
) -> list[str]:
    """What is off `provider`'s published contract in one answer of its fake ([] for a
    provider whose contract is not held here, or a path no description of it covers)."""
    if provider not in OPENAPI_PROVIDERS or path in UNDESCRIBED_PATHS.get(provider, ()):
        return []
    return openapi_contract(provider).response_problems(method, path, status, content_type, body)
