"""The search served by `DirectRoutes` answers byte for byte what FastAPI's routing answered."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from kitty_mock_saas.api.direct import DirectRoutes
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings

from .conftest import ALICE, BOB, SEARCH

CAROL = {"Authorization": "Bearer tok-carol", "X-Team-Slug": "acme"}
TEXT = {"provider": "linear", "project_slug": "acme-web", "query_text": "Clerk auth"}
CASES: list[tuple[str, dict[str, str], Any]] = [
    ("text", ALICE, TEXT),
    ("key", ALICE, {"provider": "jira", "project_slug": "acme-iam", "query_key": "IAM-42"}),
    ("text, limit", ALICE, {**TEXT, "limit": 1}),
    ("github", ALICE, {"provider": "github", "project_slug": "acme-web", "query_text": "x"}),
    ("no token", {"X-Team-Slug": "acme"}, TEXT),
    ("unknown token", {"Authorization": "Bearer nope", "X-Team-Slug": "acme"}, TEXT),
    ("other team", CAROL, TEXT),
    ("no team header", {"Authorization": "Bearer tok-alice"}, TEXT),
    ("unmapped", ALICE, {**TEXT, "project_slug": "acme-unmapped"}),
    ("no link", BOB, {"provider": "jira", "project_slug": "acme-iam", "query_key": "IAM-42"}),
    ("bad key", ALICE, {"provider": "linear", "project_slug": "acme-web", "query_key": "WEB-x"}),
    ("invalid body", ALICE, {"provider": "linear"}),
    ("prefer 429", {**ALICE, "Prefer": "code=429"}, TEXT),
    ("prefer example", {**ALICE, "Prefer": "example=rate_limited"}, TEXT),
    ("prefer unknown example", {**ALICE, "Prefer": "example=nope"}, TEXT),
    ("idempotency key", {**ALICE, "Idempotency-Key": "key-12345678"}, TEXT),
]


def _direct_layer(app: Any) -> DirectRoutes:
    layer = app.middleware_stack
    while not isinstance(layer, DirectRoutes):
        layer = layer.app
    return layer


def _answer(client: TestClient, headers: dict[str, str], body: Any) -> tuple[Any, ...]:
    response = client.post(SEARCH, headers=headers, json=body)
    request_id = response.headers["x-request-id"]
    # The request id is new on every request: the only part that may differ.
    content = response.content.replace(request_id.encode(), b"req_ID")
    answer_headers = [(k, v) for k, v in response.headers.multi_items() if k != "x-request-id"]
    return response.status_code, answer_headers, content


@pytest.mark.parametrize("validate", [True, False])
def test_direct_answers_equal_fastapis(validate: bool) -> None:
    with TestClient(create_app(MockSettings(validate_responses=validate))) as client:
        client.get("/openapi.json")  # builds the middleware stack
        direct = _direct_layer(client.app)
        assert "searchIssues" in direct.endpoints
        fast = [_answer(client, headers, body) for _, headers, body in CASES]
        direct.endpoints = {}  # everything through FastAPI's routing, as before
        routed = [_answer(client, headers, body) for _, headers, body in CASES]
    for (name, _, _), one, other in zip(CASES, fast, routed, strict=True):
        assert one == other, name
    statuses = {name: answer[0] for (name, _, _), answer in zip(CASES, fast, strict=True)}
    assert [statuses[n] for n in ("text", "no token", "unmapped", "prefer 429")] == [
        200,
        401,
        404,
        429,
    ]
    assert json.loads(fast[0][2])["candidates"]


def test_the_journal_sees_direct_answers(mock: TestClient) -> None:
    mock.post(SEARCH, headers=ALICE, json=TEXT)
    mock.post(SEARCH, headers={"X-Team-Slug": "acme"}, json=TEXT)
    entries = mock.get("/__admin/requests", headers={"X-Admin-Token": "admin-secret"}).json()
    searches = [e for e in entries["requests"] if e["operation"] == "searchIssues"]
    assert [(e["status"], e["user_id"]) for e in searches[:2]] == [
        (401, None),
        (200, "alice@acme.example"),
    ]


def test_journal_rows_are_formatted_when_flushed(mock: TestClient) -> None:
    headers = {**ALICE, "X-Custom": "one"}
    mock.post(SEARCH, headers=[*headers.items(), ("X-Custom", "two")], json=TEXT)
    entries = mock.get("/__admin/requests", headers={"X-Admin-Token": "admin-secret"}).json()
    entry = next(e for e in entries["requests"] if e["operation"] == "searchIssues")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["at"])
    assert entry["headers"]["authorization"] == "<redacted>"
    assert entry["headers"]["x-custom"] == "one, two"
    assert entry["body"] == TEXT
