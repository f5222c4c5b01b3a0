"""Hostile input answers 4xx with the envelope, never a 500 (issue 11: the contract stage).

Each case once broke the mock with a traceback or unbounded memory; each test sends it to the
real app in-process and checks the refusal the contract documents.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import AsyncIterator, Coroutine, Iterator, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx
import pytest
from fastapi.testclient import TestClient
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings

from tests.mock_saas.conftest import ADMIN, ALICE, BIND, EVENTS, SEARCH, bind_body
from tests.mock_saas.test_auth_and_errors import assert_envelope
from tests.mock_saas.test_events import TOKEN, origin_event

pytestmark = pytest.mark.both_backends

TEXT_SEARCH = {"provider": "linear", "project_slug": "acme-web", "query_text": "Clerk auth"}
JSON = {"Content-Type": "application/json"}
T = TypeVar("T")


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run` in a thread of its own: other tests (the browser's) may leave a loop running here."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


def test_issue11_json_100k_levels_deep_is_422(mock: TestClient) -> None:
    response = mock.post(SEARCH, content=_deep(100_000), headers={**ALICE, **JSON})
    assert_envelope(response, 422, "validation_failed")


def test_issue11_event_payload_5k_levels_deep_is_422(mock: TestClient) -> None:
    event = origin_event()
    event["event_type"] = "SomethingElse"
    event["payload"] = "PAYLOAD"
    payload = '{"x": ' * 5000 + "{}" + "}" * 5000
    body = json.dumps({"events": [event]}).replace('"PAYLOAD"', payload).encode()
    response = mock.post(EVENTS, content=body, headers={**TOKEN, **JSON})
    body_json = assert_envelope(response, 422, "validation_failed")
    assert "levels deep" in str(body_json["message"])


@pytest.mark.parametrize(
    ("path", "headers", "body"),
    [
        (SEARCH, ALICE, b'{"provider": "linear", "project_slug": "acme-web", "query_text": "\\ud800"}'),
        (BIND, ALICE, json.dumps(bind_body(external_title="X")).replace('"X"', '"\\udfff"').encode()),
        (EVENTS, TOKEN, json.dumps({"events": [origin_event(title="\\ud83d")]}).replace("\\\\", "\\").encode()),
    ],
    ids=["search", "bind", "events"],
)  # fmt: skip
def test_issue11_lone_surrogates_are_422(
    mock: TestClient, path: str, headers: dict[str, str], body: bytes
) -> None:
    assert b"\\u" in body
    response = mock.post(path, content=body, headers={**headers, **JSON})
    found = assert_envelope(response, 422, "validation_failed")
    assert "surrogate" in str(found["message"])


def test_issue11_surrogate_pairs_are_fine(mock: TestClient) -> None:
    body = json.dumps({**TEXT_SEARCH, "query_text": "Clerk \U0001f431"}, ensure_ascii=True)
    assert mock.post(SEARCH, content=body, headers={**ALICE, **JSON}).status_code == 200


@pytest.mark.parametrize("path", [SEARCH, EVENTS])
def test_issue11_integers_of_4301_digits_are_422(mock: TestClient, path: str) -> None:
    huge = "9" * 4301
    body = (
        f'{{"provider": "linear", "project_slug": "acme-web", "query_text": "a", "limit": {huge}}}'
    )
    if path == EVENTS:
        body = f'{{"events": [{{"n": {huge}}}]}}'
    response = mock.post(path, content=body, headers={**ALICE, **JSON})
    found = assert_envelope(response, 422, "validation_failed")
    assert "4300 digits" in str(found["message"])


def test_issue11_nan_and_infinity_are_not_json(mock: TestClient) -> None:
    body = b'{"provider": "linear", "project_slug": "acme-web", "query_text": "a", "limit": NaN}'
    assert_envelope(
        mock.post(SEARCH, content=body, headers={**ALICE, **JSON}), 400, "malformed_request"
    )
    body = body.replace(b"NaN", b"1e400")
    assert_envelope(
        mock.post(SEARCH, content=body, headers={**ALICE, **JSON}), 422, "validation_failed"
    )


def test_issue11_body_that_is_not_utf8_is_400(mock: TestClient) -> None:
    body = b'{"provider": "linear", "project_slug": "acme-web", "query_text": "\xff"}'
    assert_envelope(
        mock.post(SEARCH, content=body, headers={**ALICE, **JSON}), 400, "malformed_request"
    )


def test_nul_characters_are_stored_on_both_backends_not_a_500(mock: TestClient) -> None:
    """PostgreSQL text cannot hold NUL; an event id or a path with one is still answered."""
    event = {**origin_event("01JD8Z0000000000000000000\u0000"), "event_type": "Build\u0000"}
    results = mock.post(EVENTS, json={"events": [event]}, headers=TOKEN).json()["results"]
    assert [r["status"] for r in results] == ["rejected"]
    assert_envelope(mock.get("/api/v1/%00/", headers=ALICE), 404, "not_found")
    found = mock.post("/__admin/journal/find", json={"status": 404}, headers=ADMIN)
    assert found.status_code == 200
    assert found.json()["count"] == 1


def test_issue11_huge_protocol_major_is_412_not_500(mock: TestClient) -> None:
    headers = {**TOKEN, "X-Spec-Kitty-Sync-Protocol": "9" * 5000 + ".0"}
    response = mock.post(EVENTS, json={"events": [origin_event()]}, headers=headers)
    assert_envelope(response, 412, "protocol_mismatch")


def test_issue11_admin_fault_count_above_2_63_is_422_and_stores_nothing(mock: TestClient) -> None:
    body = {"rate_limit": {"count": 1}, "outage": {"count": 2**63 + 1}}
    response = mock.post("/__admin/faults", json=body, headers=ADMIN)
    found = assert_envelope(response, 422, "validation_failed")
    assert found["effect_certainty"] == "no_effect"
    assert mock.get("/__admin/faults", headers=ADMIN).json()["faults"] == []


def test_issue11_admin_faults_405_allows_every_method(mock: TestClient) -> None:
    response = mock.put("/__admin/faults", headers=ADMIN)
    assert_envelope(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "DELETE, GET, POST"


def test_issue11_multi_member_gzip_is_accepted(mock: TestClient) -> None:
    text = json.dumps({"events": [origin_event()]}).encode()
    body = gzip.compress(text[:40]) + gzip.compress(text[40:])
    headers = {**TOKEN, **JSON, "Content-Encoding": "gzip"}
    response = mock.post(EVENTS, content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] == "accepted"


def test_issue11_headers_over_16_kib_are_400(mock: TestClient) -> None:
    headers = {**ALICE, **{f"X-Pad-{n}": "x" * 1000 for n in range(20)}}
    response = mock.post(SEARCH, json=TEXT_SEARCH, headers=headers)
    assert_envelope(response, 400, "malformed_request")


def test_issue11_content_length_over_the_limit_is_413_unread(mock: TestClient) -> None:
    headers = {**ALICE, **JSON, "Content-Length": str(200 * 1024 * 1024)}
    response = mock.post(SEARCH, content=b"{}", headers=headers)
    assert_envelope(response, 413, "payload_too_large")


def test_issue11_a_200_mb_body_is_refused_before_it_is_buffered() -> None:
    """A chunked body with no Content-Length: reading stops just past the 1 MiB limit."""
    chunk, chunks = b" " * 65536, 3200  # 200 MiB in all
    sent = 0

    async def stream() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(chunks):
            sent += 1
            yield chunk

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(MockSettings()))
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            return await client.post(SEARCH, content=stream(), headers={**ALICE, **JSON})

    response = _run(post())
    assert_envelope(response, 413, "payload_too_large")
    assert sent <= 1024 * 1024 // len(chunk) + 2


def _scope(method: str, path: str) -> dict[str, Any]:
    """An HTTP request scope as uvicorn builds it, with alice's credentials."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"authorization", b"Bearer tok-alice"), (b"x-team-slug", b"acme")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }


def test_issue11_slow_sender_is_cut_off_with_the_envelope() -> None:
    app = create_app(MockSettings(body_timeout_seconds=0.05))
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        await asyncio.Event().wait()  # the body never comes
        raise AssertionError("unreachable")

    async def send(message: MutableMapping[str, Any]) -> None:
        messages.append(dict(message))

    scope = _scope("POST", SEARCH)
    # A bound so that the bug (no deadline) fails the test instead of hanging it.
    _run(asyncio.wait_for(app(scope, receive, send), 60))
    start, body = messages[0], messages[1]
    assert start["status"] == 400
    assert (b"connection", b"close") in start["headers"]
    assert json.loads(body["body"])["error_code"] == "malformed_request"


def test_issue11_admin_contract_is_served_and_admin_queries_are_checked(mock: TestClient) -> None:
    from kitty_contracts.validation import admin_document

    assert mock.get("/__admin/openapi.json").json() == admin_document()
    for limit in ("0", "1001", "abc", "9" * 5000):
        response = mock.get("/__admin/events", params={"limit": limit}, headers=ADMIN)
        found = assert_envelope(response, 422, "validation_failed")
        assert found["details"][0]["field"] == "query.limit"  # type: ignore[index]


def test_a_client_that_leaves_mid_body_is_logged_as_499_not_500() -> None:
    app = create_app(MockSettings())
    messages: list[dict[str, Any]] = []
    incoming: Iterator[dict[str, Any]] = iter(
        [
            {"type": "http.request", "body": b'{"provider": ', "more_body": True},
            {"type": "http.disconnect"},
        ]
    )

    async def receive() -> dict[str, Any]:
        return next(incoming)

    async def send(message: MutableMapping[str, Any]) -> None:
        messages.append(dict(message))

    _run(asyncio.wait_for(app(_scope("POST", SEARCH), receive, send), 60))
    assert messages == []
    with TestClient(app) as client:
        logged = client.get("/__admin/requests", headers=ADMIN).json()["requests"]
    assert [(r["path"], r["status"]) for r in logged] == [(SEARCH, 499)]
