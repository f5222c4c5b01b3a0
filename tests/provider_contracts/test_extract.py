"""The committed provider-contract subsets are what the tool cuts from the full descriptions."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from kitty_mock_saas.provider_contracts import OPENAPI_PROVIDERS, openapi_document, provenance

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from provider_contracts.__main__ import EXTRACTORS, drift, main, write
from provider_contracts.openapi_subset import openapi_subset, read_operations


def test_committed_subsets_match_a_fresh_extract(shared: Path) -> None:
    assert main(["check", "--shared", str(shared / "provider-apis")]) == 0


@pytest.mark.parametrize("provider", sorted(EXTRACTORS))
def test_provenance_names_source_version_licence_and_checksum(provider: str) -> None:
    source = provenance(provider)
    assert source["provider"] == provider
    if provider in OPENAPI_PROVIDERS:
        assert source["version"] == openapi_document(provider)["info"]["version"]
    assert source["licence"]
    assert source["source"]
    assert len(source["sha256"]) == 64


def test_drift_names_a_stale_a_missing_and_an_extra_file(tmp_path: Path) -> None:
    write(tmp_path, {"openapi.json": b"{}\n", "source.json": b"{}\n", "old.json": b"{}\n"})
    (tmp_path / "openapi.json").write_bytes(b'{"edited": true}\n')
    (tmp_path / "source.json").unlink()
    assert drift(tmp_path, {"openapi.json": b"{}\n", "source.json": b"{}\n"}) == [
        "source.json is missing",
        "old.json is not produced by the extract",
        "openapi.json differs from a fresh extract",
    ]


DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "tags": [{"name": "unused"}],
    "paths": {
        "/things/{id}": {
            "parameters": [{"$ref": "#/components/parameters/id"}],
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/thing"},
                                "examples": {"a": {"$ref": "#/components/examples/thing"}},
                            }
                        },
                    }
                }
            },
            "delete": {"responses": {"204": {"description": "gone"}}},
        },
        "/other": {"get": {"responses": {"200": {"$ref": "#/components/responses/other"}}}},
    },
    "components": {
        "parameters": {"id": {"name": "id", "in": "path", "schema": {"type": "integer"}}},
        "schemas": {
            "thing": {
                "type": "object",
                "properties": {"owner": {"$ref": "#/components/schemas/user"}},
            },
            "user": {"type": "object", "properties": {"examples": {"type": "string"}}},
            "unused": {"type": "string"},
        },
        "responses": {"other": {"description": "x"}},
        "examples": {"thing": {"value": {}}},
    },
}


def test_the_subset_is_the_listed_operations_and_their_ref_closure() -> None:
    subset = openapi_subset(DOCUMENT, [("get", "/things/{id}")])
    assert list(subset["paths"]) == ["/things/{id}"]
    assert set(subset["paths"]["/things/{id}"]) == {"parameters", "get"}
    assert subset["components"] == {
        "parameters": DOCUMENT["components"]["parameters"],
        "schemas": {
            "thing": DOCUMENT["components"]["schemas"]["thing"],
            # A property called `examples` is part of the schema and stays.
            "user": DOCUMENT["components"]["schemas"]["user"],
        },
    }
    media = subset["paths"]["/things/{id}"]["get"]["responses"]["200"]["content"]
    assert "examples" not in media["application/json"]
    assert "tags" not in subset


def test_an_operation_the_description_lacks_is_refused() -> None:
    with pytest.raises(KeyError, match=r"POST /things/\{id\}"):
        openapi_subset(DOCUMENT, [("post", "/things/{id}")])


def test_a_dangling_ref_is_refused() -> None:
    broken = json.loads(json.dumps(DOCUMENT))
    del broken["components"]["schemas"]["user"]
    with pytest.raises(KeyError, match="dangling"):
        openapi_subset(broken, [("get", "/things/{id}")])


def test_the_operations_file_format(tmp_path: Path) -> None:
    listed = tmp_path / "ops.txt"
    listed.write_text("# comment\nGET /a  # why\n\npatch /b/{id}\n")
    assert read_operations(listed) == [("get", "/a"), ("patch", "/b/{id}")]
    listed.write_text("GET /a\nGET /a\n")
    with pytest.raises(ValueError, match="listed twice"):
        read_operations(listed)
    listed.write_text("FETCH /a\n")
    with pytest.raises(ValueError, match="expected 'METHOD /path'"):
        read_operations(listed)


def test_a_listed_component_is_kept_with_its_closure(tmp_path: Path) -> None:
    listed = tmp_path / "ops.txt"
    listed.write_text("REF #/components/schemas/thing  # the error body\n")
    assert read_operations(listed) == [("ref", "#/components/schemas/thing")]
    subset = openapi_subset(DOCUMENT, read_operations(listed))
    assert subset["paths"] == {}
    assert set(subset["components"]["schemas"]) == {"thing", "user"}
