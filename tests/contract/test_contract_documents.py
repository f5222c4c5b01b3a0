"""The contract itself: valid OpenAPI 3.1, valid JSON Schema 2020-12, complete, with valid examples."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from kitty_contracts.validation import openapi_document, validator
from openapi_spec_validator import validate as validate_openapi

from tests.conftest import ROOT
from tests.contract.examples import named_examples

CONTRACTS = ROOT / "contracts"
SCHEMA_FILES = sorted((CONTRACTS / "schemas").glob("*.json"))
ERROR_STATUSES = {"400", "401", "403", "404", "409", "412", "413", "422", "429", "500", "503"}
SPEC_SCENARIOS = {
    "text_search",
    "exact_key",
    "no_match",
    "missing_user_link",
    "no_resource_mapping",
    "invalid_query",
    "rate_limited",
    "already_bound",
}
EXAMPLES = list(named_examples())


def test_openapi_document_is_valid_openapi_3_1() -> None:
    validate_openapi(openapi_document())
    source = yaml.safe_load((CONTRACTS / "openapi.yaml").read_text(encoding="utf-8"))
    validate_openapi(source, base_uri=(CONTRACTS / "openapi.yaml").as_uri())


def test_contract_version_is_semver_and_in_changelog() -> None:
    version = openapi_document()["info"]["version"]
    major, minor, patch = (int(part) for part in version.split("."))
    assert (major, minor, patch) >= (1, 0, 0)
    assert f"## {version}" in (CONTRACTS / "CHANGELOG.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_file_is_valid_json_schema_2020_12(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema.get("title"), "every schema names its concept (the generated class name)"


def test_every_schema_file_is_a_component() -> None:
    source = yaml.safe_load((CONTRACTS / "openapi.yaml").read_text(encoding="utf-8"))
    referenced = {Path(c["$ref"]).name for c in source["components"]["schemas"].values()}
    assert referenced == {p.name for p in SCHEMA_FILES}


def test_every_error_response_uses_the_one_envelope() -> None:
    doc = openapi_document()
    seen_statuses: set[str] = set()
    for item in doc["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    seen_statuses.add(status)
                    if "$ref" in response:
                        response = doc["components"]["responses"][
                            response["$ref"].rsplit("/", 1)[-1]
                        ]
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorEnvelope"}, (
                        operation["operationId"],
                        status,
                    )
                if status == "429":
                    assert "Retry-After" in response["headers"]
    assert seen_statuses >= ERROR_STATUSES


def test_error_envelope_carries_the_upstream_fields() -> None:
    fields = set(openapi_document()["components"]["schemas"]["ErrorEnvelope"]["properties"])
    assert {
        "error_code",
        "error_category",
        "message",
        "retryable",
        "user_action_required",
        "retry_after_seconds",
        "source",
        "effect_certainty",
        "idempotency_key",
    } <= fields


def test_origin_ticket_requires_the_seven_provenance_fields_and_nothing_else() -> None:
    schema = openapi_document()["components"]["schemas"]["OriginTicket"]
    assert set(schema["required"]) == {
        "provider",
        "resource_type",
        "resource_id",
        "external_issue_id",
        "external_issue_key",
        "external_issue_url",
        "title",
    }
    assert schema["additionalProperties"] is False
    with_saas_key = {**EXAMPLE_ORIGIN_TICKET, "origin_link_id": "oln_01JD8X5A6B7C8D9E0F1G2H3J4K"}
    assert not validator("OriginTicket").is_valid(with_saas_key)
    assert validator("OriginTicket").is_valid(EXAMPLE_ORIGIN_TICKET)


EXAMPLE_ORIGIN_TICKET = {
    "provider": "linear",
    "resource_type": "linear_team",
    "resource_id": "8f6b2c1e-4a5d-4e2b-9c3f-1a2b3c4d5e6f",
    "external_issue_id": "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d",
    "external_issue_key": "WEB-123",
    "external_issue_url": "https://linear.app/acme/issue/WEB-123/add-clerk-auth",
    "title": "Add Clerk auth",
}


def test_task_trackers_config_accepts_only_env_references_for_credentials() -> None:
    check = validator("TaskTrackersConfig")
    good = {
        "task_trackers": {
            "jira": {
                "enabled": True,
                "server_url": "https://acme.atlassian.net",
                "credentials": "env:JIRA_API_TOKEN",
            },
            "linear": {"enabled": True, "api_key": "env:LINEAR_API_KEY"},
            "github": {"enabled": False, "token": "env:GITHUB_TOKEN"},
        }
    }
    assert check.is_valid(good)
    leaked = json.loads(json.dumps(good))
    leaked["task_trackers"]["linear"]["api_key"] = "lin_api_0123456789abcdef"
    assert not check.is_valid(leaked)


def test_search_request_needs_a_query_and_a_routing_key() -> None:
    check = validator("IssueSearchRequest")
    assert check.is_valid({"provider": "linear", "project_slug": "acme-web", "query_text": "auth"})
    assert check.is_valid({"provider": "jira", "binding_ref": "bnd_1", "query_key": "IAM-42"})
    both = {
        "provider": "jira",
        "project_slug": "acme-iam",
        "query_key": "IAM-42",
        "query_text": "x",
    }
    assert check.is_valid(both), "both queries are allowed; the key wins"
    assert not check.is_valid({"provider": "linear", "project_slug": "acme-web"})
    assert not check.is_valid({"provider": "linear", "query_text": "auth"})
    assert not check.is_valid(
        {"provider": "linear", "project_slug": "acme-web", "query_text": "a", "limit": 51}
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_named_example_validates_against_its_schema(example: object) -> None:
    from tests.contract.examples import NamedExample

    assert isinstance(example, NamedExample)
    errors = [e.message for e in validator(example.schema_name).iter_errors(example.value)]
    assert errors == []


def test_named_examples_are_paired_by_name_across_request_and_response() -> None:
    by_operation: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for example in EXAMPLES:
        by_operation[example.operation_id][example.side].add(example.name)
    for operation_id, sides in by_operation.items():
        assert sides["request"] == sides["response"], operation_id
    all_names = {e.name for e in EXAMPLES}
    assert all_names >= SPEC_SCENARIOS


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a mapping key given twice (PyYAML keeps the last one silently)."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[object, object]:
    keys = [loader.construct_object(key) for key, _ in node.value]
    repeated = sorted({str(k) for k in keys if keys.count(k) > 1})
    if repeated:
        raise yaml.constructor.ConstructorError(
            None, None, f"repeated keys {repeated}", node.start_mark
        )
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _unique_mapping,
)


@pytest.mark.parametrize("name", ["openapi.yaml", "admin.yaml"])
def test_contract_documents_repeat_no_key(name: str) -> None:
    """A repeated status under `responses` silently drops one of them from the bundle."""
    yaml.load((CONTRACTS / name).read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)


def test_the_lane_table_covers_every_lane_with_a_status_category() -> None:
    """`WorkPackageLane.x-status-category` is the one lane → category table the code reads."""
    schemas = openapi_document()["components"]["schemas"]
    lane = schemas["WorkPackageLane"]
    categories = set(schemas["StatusCategory"]["enum"])
    assert list(lane["x-status-category"]) == lane["enum"]
    assert set(lane["x-status-category"].values()) == categories
