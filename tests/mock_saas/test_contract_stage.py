"""The contract stage on its own: it checks answers too, so a handler that drifts fails loudly."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from kitty_mock_saas.stage import ContractStage, contract_operations
from starlette.types import Receive, Scope, Send

from tests.mock_saas.conftest import ALICE, SEARCH

TEXT_SEARCH = {"provider": "linear", "project_slug": "acme-web", "query_text": "Clerk auth"}


def drifting_handler(status: int, body: dict[str, Any]) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        payload = json.dumps(body).encode()
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    return app


def _post(stage: ContractStage) -> httpx.Response:
    response: httpx.Response = TestClient(stage).post(SEARCH, json=TEXT_SEARCH, headers=ALICE)
    return response


def _stage(app: Any, *, validate_responses: bool = True) -> ContractStage:
    return ContractStage(
        app,
        table=contract_operations(),
        body_timeout_seconds=5,
        validate_responses=validate_responses,
    )


def test_an_answer_outside_the_contract_becomes_a_500_naming_the_violation() -> None:
    drifting = drifting_handler(200, {"candidates": "not a list"})
    response = _post(_stage(drifting))
    assert response.status_code == 500
    body = response.json()
    assert (body["error_code"], body["effect_certainty"]) == ("internal_error", "unknown")
    assert "searchIssues" in body["message"]
    assert any("candidates" in d["issue"] for d in body["details"])


def test_an_undocumented_status_becomes_a_500() -> None:
    response = _post(_stage(drifting_handler(418, {"teapot": True})))
    assert response.status_code == 500
    assert "status 418 is not documented" in response.json()["message"]


def test_answers_are_passed_on_unchecked_when_validation_is_off() -> None:
    response = _post(_stage(drifting_handler(200, {"candidates": "x"}), validate_responses=False))
    assert (response.status_code, response.json()) == (200, {"candidates": "x"})


@pytest.mark.parametrize("operation_id", sorted(contract_operations().by_id))
def test_every_operation_of_both_contracts_is_in_the_table(operation_id: str) -> None:
    operation = contract_operations().by_id[operation_id]
    assert operation.limits.header_bytes == 16384
    assert operation.limits.json_depth == 64


def test_a_drifting_answer_is_logged_and_refused_without_the_credentials_it_quotes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A token answer whose token breaks the contract: the finding would quote the token."""
    token = "tok-" + "S" * 5000  # over the contract's 4,096 characters
    drifting = drifting_handler(
        200, {"access_token": token, "token_type": "Bearer", "expires_in": 60}
    )
    form = {"grant_type": "refresh_token", "refresh_token": "refresh-alice-0123456789"}
    response = TestClient(_stage(drifting)).post("/oauth/token", data=form)
    assert response.status_code == 500
    assert "body/access_token" in response.text
    for text in (response.text, caplog.text):
        assert "tok-SSSSSSSS" not in text
