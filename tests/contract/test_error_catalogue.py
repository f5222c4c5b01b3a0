"""The error catalogue in contracts/ is the one source of each code's status, category and retry.

Both runtimes read it, the contract's named examples agree with it, and changing one code's
status there and running `make generate` moves the client's exception, the mock's answer and
both README tables, with no hand edit anywhere else.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from kitty_contracts import ErrorCode, ErrorEnvelope
from kitty_contracts.error_catalogue import (
    default_code_for_status,
    error_catalogue,
    error_spec,
    retryable_statuses,
)
from kitty_contracts.validation import openapi_document
from kitty_mock_saas.errors import ApiError
from kitty_origin import errors as client_errors
from kitty_origin.retry import should_retry

from tests.contract.test_contract_gates import _edit_json, _run, _tracked_copy

CODES = list(ErrorCode)


def _named_error_examples() -> list[tuple[str, int, str, dict[str, Any]]]:
    found = []
    for item in openapi_document()["paths"].values():
        for operation in item.values():
            for status, response in operation.get("responses", {}).items():
                media = response.get("content", {}).get("application/json", {})
                for name, example in media.get("examples", {}).items():
                    value = example["value"]
                    if isinstance(value, dict) and "error_code" in value:
                        found.append((operation["operationId"], int(status), name, value))
    return found


def test_every_code_is_in_the_catalogue_once() -> None:
    assert list(error_catalogue()) == CODES


def test_each_error_status_has_one_default_code() -> None:
    statuses = {spec.status for spec in error_catalogue().values()}
    assert all(default_code_for_status(status) is not None for status in statuses)
    assert default_code_for_status(503) == ErrorCode.service_unavailable
    assert default_code_for_status(418) is None


@pytest.mark.parametrize(
    ("operation", "status", "name", "value"),
    _named_error_examples(),
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_named_error_examples_agree_with_the_catalogue(
    operation: str, status: int, name: str, value: dict[str, Any]
) -> None:
    spec = error_spec(value["error_code"])
    assert status == spec.status
    assert value["error_category"] == value["category"] == spec.category.value
    assert value["code"] == value["error_code"]
    assert value["retryable"] is spec.retryable
    assert value["user_action_required"] is spec.user_action_required


@pytest.mark.parametrize("code", CODES)
def test_the_mock_answers_each_code_as_the_catalogue_says(code: ErrorCode) -> None:
    spec = error_spec(code)
    error = ApiError(code, "something happened")
    body = error.envelope(idempotency_key=None, request_id="req_1").model_dump(mode="json")
    assert error.status == spec.status
    assert (body["error_code"], body["code"]) == (code.value, code.value)
    assert body["error_category"] == body["category"] == spec.category.value
    assert body["retryable"] is spec.retryable
    assert body["user_action_required"] is spec.user_action_required


@pytest.mark.parametrize("code", CODES)
def test_the_client_raises_each_code_under_its_catalogue_status(code: ErrorCode) -> None:
    spec = error_spec(code)
    envelope = ErrorEnvelope.model_validate(
        {
            "error_code": code.value,
            "message": "something happened",
            "retryable": spec.retryable,
            "user_action_required": spec.user_action_required,
        }
    )
    raised = client_errors.error_from_envelope(envelope, status_code=spec.status)
    assert isinstance(raised, client_errors.raised_class_for(spec.status, code.value))
    assert raised.error_code == code.value
    assert should_retry(spec.status) is (spec.status in retryable_statuses())


def test_the_client_reads_code_before_error_code() -> None:
    envelope = ErrorEnvelope.model_validate(
        {
            "error_code": "validation_failed",
            "code": "invalid_query",
            "message": "bad key",
            "retryable": False,
            "user_action_required": False,
        }
    )
    raised = client_errors.error_from_envelope(envelope, status_code=422)
    assert isinstance(raised, client_errors.InvalidQueryError)


_PROBE = textwrap.dedent(
    """
    import json
    from fastapi.testclient import TestClient
    from kitty_mock_saas.app import create_app
    from kitty_mock_saas.settings import MockSettings
    from kitty_origin import errors

    alice = {"Authorization": "Bearer tok-alice", "X-Team-Slug": "acme",
             "Idempotency-Key": "logical-operation:write:catalogue"}
    body = {
        "provider": "linear", "project_slug": "acme-web",
        "mission_id": "01JD8X4ZQK5M7N9P2R3S4T5V6W", "mission_slug": "001-web-123-add-clerk-auth",
        "external_issue_id": "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d", "external_issue_key": "WEB-123",
        "external_issue_url": "https://linear.app/acme/issue/WEB-123/add-clerk-auth",
        "external_title": "Add Clerk auth", "external_status": "In Progress",
    }
    with TestClient(create_app(MockSettings())) as mock:
        mock.post("/api/v1/tracker/mission-origin/bind/", json=body, headers=alice)
        other = {**body, "external_title": "Something else"}
        reused = mock.post("/api/v1/tracker/mission-origin/bind/", json=other, headers=alice)
    cls = errors.error_class_for(reused.status_code, reused.json()["error_code"])
    print(json.dumps({"status": reused.status_code, "code": reused.json()["error_code"],
                      "classes": [c.__name__ for c in cls.__mro__]}))
    """
)


def _probe(copy: Path) -> dict[str, Any]:
    paths = ":".join(str(copy / d) for d in ("generated", "client", "mock_saas"))
    result = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=copy,
        env={"PYTHONPATH": paths, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def test_changing_a_status_in_the_catalogue_moves_both_runtimes_and_the_readmes(
    tmp_path: Path,
) -> None:
    copy = _tracked_copy(tmp_path)
    before = _probe(copy)
    assert (before["status"], before["code"]) == (422, "idempotency_key_reused")
    assert "UnprocessableEntityError" in before["classes"]

    def move_to_409(schema: dict[str, Any]) -> None:
        schema["x-error-catalogue"]["idempotency_key_reused"]["status"] = 409

    _edit_json(copy / "contracts/schemas/error_code.json", move_to_409)
    generated = _run(copy, "generate.py")
    assert generated.returncode == 0, generated.stderr

    after = _probe(copy)
    assert (after["status"], after["code"]) == (409, "idempotency_key_reused")
    assert "ConflictError" in after["classes"]
    assert "UnprocessableEntityError" not in after["classes"]
    for readme in ("README.md", "client/README.md"):
        text = (copy / readme).read_text(encoding="utf-8")
        assert "| 409 | `idempotency_key_reused` |" in text
        assert "| 422 | `idempotency_key_reused` |" not in text
    changed = subprocess.run(
        ["git", "status", "--porcelain"], cwd=copy, capture_output=True, text=True, check=True
    ).stdout.split("\n")
    touched = sorted(line[3:] for line in changed if line)
    assert all(
        name.startswith(("contracts/", "generated/")) or name in {"README.md", "client/README.md"}
        for name in touched
    ), touched


def test_generation_refuses_an_inconsistent_catalogue(tmp_path: Path) -> None:
    copy = _tracked_copy(tmp_path)

    def second_default(schema: dict[str, Any]) -> None:
        schema["x-error-catalogue"]["invalid_query"]["status_default"] = True
        schema["enum"].append("teapot")

    _edit_json(copy / "contracts/schemas/error_code.json", second_default)
    result = _run(copy, "generate.py")
    assert result.returncode != 0
    assert "status 422: 2 codes say status_default" in result.stderr
    assert "must list exactly the enum's codes" in result.stderr
