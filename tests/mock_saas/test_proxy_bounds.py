"""The proxy stays bounded: large answers checked off the event loop or passed on unchecked, one
wall-clock bound per exchange, deep nesting a finding, and headers handled as a proxy should.

Upstreams are small ASGI apps reached in process; the client side is httpx over the proxy app.
Nothing here measures time: concurrency is shown by the order in which things happen.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import threading
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import httpx
from kitty_mock_saas.process import start_mock
from kitty_mock_saas.proxy import ValidatingProxy
from kitty_mock_saas.proxy.findings import Exchange
from kitty_mock_saas.settings import ProxySettings
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from tests.client.fakes import EXAMPLES
from tests.mock_saas.conftest import ALICE, SEARCH

UPSTREAM = "http://upstream.invalid"
SEARCH_ANSWER = EXAMPLES["searchIssues:response-200:text_search"]
SEARCH_REQUEST = EXAMPLES["searchIssues:request:text_search"]
T = TypeVar("T")


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run` in a thread of its own: another test may leave a loop running here."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _answering(
    body: bytes, *, headers: list[tuple[bytes, bytes]] | None = None, status: int = 200
) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        head = [(b"content-type", b"application/json"), *(headers or [])]
        await send({"type": "http.response.start", "status": status, "headers": head})
        await send({"type": "http.response.body", "body": body})

    return app


def _proxy(upstream: Any, tmp_path: Path, **settings: Any) -> ValidatingProxy:
    return ValidatingProxy(
        ProxySettings(upstream_url=UPSTREAM, report_path=tmp_path / "report.json", **settings),
        transport=httpx.ASGITransport(app=upstream),
    )


def _padded_search_answer(size: int) -> bytes:
    """A conforming search answer of about `size` bytes (a long candidate title)."""
    answer = json.loads(json.dumps(SEARCH_ANSWER))
    answer["candidates"][0]["title"] = "x" * size
    return json.dumps(answer).encode()


def test_a_deeply_nested_answer_is_a_finding_not_a_500(tmp_path: Path) -> None:
    deep = b'{"candidates": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with TestClient(_proxy(_answering(deep), tmp_path)) as client:
        answer = client.post(SEARCH, json=SEARCH_REQUEST, headers=ALICE)
        journal = client.get("/__proxy/journal").json()
    assert answer.status_code == 200
    assert answer.content == deep  # passed on as it came
    (finding,) = journal["violations"][0]["findings"]
    assert finding["message"] == "body: nested more than 64 levels deep, not checked further"


def test_an_answer_over_the_checked_size_passes_unchecked_and_is_reported(
    tmp_path: Path,
) -> None:
    big = _padded_search_answer(64 * 1024)
    zipped = gzip.compress(_padded_search_answer(200 * 1024))
    with TestClient(_proxy(_answering(big), tmp_path, max_checked_bytes=32 * 1024)) as client:
        answer = client.post(SEARCH, json=SEARCH_REQUEST, headers=ALICE)
        journal = client.get("/__proxy/journal").json()
    assert answer.content == big
    assert answer.headers["x-kitty-contract-unchecked"].startswith("the answer is over 32,768")
    assert "sl-violations" not in answer.headers
    assert (journal["exchanges"], journal["unchecked_exchanges"]) == (1, 1)
    assert journal["violating_exchanges"] == 0
    # Small on the wire, over the size once decoded: unchecked too, never inflated in full.
    gzipped = _answering(zipped, headers=[(b"content-encoding", b"gzip")])
    with TestClient(_proxy(gzipped, tmp_path, max_checked_bytes=32 * 1024)) as client:
        answer = client.post(SEARCH, json=SEARCH_REQUEST, headers=ALICE)
    assert "x-kitty-contract-unchecked" in answer.headers
    assert answer.json()["candidates"][0]["title"] == "x" * 200 * 1024


class _HeldCheck(ValidatingProxy):
    """Holds the check of any answer larger than a small one until `released` is set."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.released = threading.Event()
        self.held = threading.Event()
        self.released_in_time: bool | None = None

    def _settle(self, exchange: Exchange) -> Any:
        if len(exchange.response_body) > 100_000:
            self.held.set()
            self.released_in_time = self.released.wait(timeout=30)
        return super()._settle(exchange)


def test_checking_a_large_answer_does_not_hold_a_small_search(tmp_path: Path) -> None:
    big = _padded_search_answer(1024 * 1024)

    async def upstream(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = json.loads((await receive())["body"])
        body = big if request["query_text"] == "big" else json.dumps(SEARCH_ANSWER).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})

    proxy = _HeldCheck(
        ProxySettings(upstream_url=UPSTREAM), transport=httpx.ASGITransport(app=upstream)
    )

    async def scenario() -> tuple[list[str], int, int]:
        order: list[str] = []
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=proxy), base_url="http://proxy"
        ) as client:

            async def search(text: str) -> int:
                answer = await client.post(
                    SEARCH, json={**SEARCH_REQUEST, "query_text": text}, headers=ALICE
                )
                order.append(text)
                return answer.status_code

            large = asyncio.create_task(search("big"))
            # The large answer's check has started (and is held) before the small search is sent.
            await asyncio.to_thread(proxy.held.wait, 30)
            small = await search("small")
            proxy.released.set()
            big_status = await large
        await proxy.aclose()
        return order, small, big_status

    order, small, big_status = _run(scenario())
    assert order == ["small", "big"]
    assert (small, big_status) == (200, 200)
    assert proxy.released_in_time is True


def test_a_dripping_upstream_is_cut_at_the_configured_bound(tmp_path: Path) -> None:
    async def dripping(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        for _ in range(200):  # each byte in time for a per-read timeout, the whole far too slow
            await send({"type": "http.response.body", "body": b" ", "more_body": True})
            await asyncio.sleep(0.02)
        await send({"type": "http.response.body", "body": json.dumps(SEARCH_ANSWER).encode()})

    proxy = _proxy(dripping, tmp_path, upstream_timeout_seconds=0.3)
    with TestClient(proxy) as client:
        answer = client.post(SEARCH, json=SEARCH_REQUEST, headers=ALICE)
    assert answer.status_code == 504
    assert answer.json()["error_code"] == "provider_timeout"
    assert "within 0.3 s" in answer.json()["message"]


def test_hop_by_hop_fields_stay_behind_and_date_and_server_come_once(tmp_path: Path) -> None:
    seen: dict[str, list[str]] = {}

    async def upstream(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        for key, value in scope["headers"]:
            seen.setdefault(key.decode(), []).append(value.decode())
        headers = [
            (b"content-type", b"application/json"),
            (b"date", b"Sun, 06 Dec 2026 04:00:00 GMT"),
            (b"server", b"saas"),
            (b"connection", b"x-hop"),
            (b"x-hop", b"only for this hop"),
            (b"keep-alive", b"timeout=5"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": json.dumps(SEARCH_ANSWER).encode()})

    with TestClient(_proxy(upstream, tmp_path)) as client:
        answer = client.post(
            SEARCH,
            json=SEARCH_REQUEST,
            headers={**ALICE, "Connection": "x-private", "X-Private": "secret", "TE": "trailers"},
        )
        page = client.get("/__proxy/")
    names = [key.decode().lower() for key, _ in answer.headers.raw]
    assert names.count("date") == 1
    assert answer.headers["date"] == "Sun, 06 Dec 2026 04:00:00 GMT"
    assert names.count("server") == 1
    assert answer.headers["server"] == "saas"
    assert not {"x-hop", "keep-alive"} & set(names)
    assert answer.headers["via"] == "1.1 kitty-proxy"
    assert not {"x-private", "te"} & set(seen)
    assert seen["via"] == ["1.1 kitty-proxy"]
    assert seen["authorization"] == [ALICE["Authorization"]]
    assert [key.decode().lower() for key, _ in page.headers.raw].count("date") == 1


def test_the_proxy_process_sends_one_date_no_server_of_its_own_and_names_its_report(
    tmp_path: Path,
) -> None:
    report = tmp_path / "report.json"
    with (tmp_path / "stderr.txt").open("w", encoding="utf-8") as stderr:
        proxy = start_mock(
            "--upstream", "http://127.0.0.1:9", "--report", str(report),
            command="proxy", stderr=stderr, ready_path="/__proxy/journal",
        )  # fmt: skip
        try:
            answer = httpx.post(proxy.url + SEARCH, json=SEARCH_REQUEST, headers=ALICE, timeout=30)
        finally:
            proxy.stop()
    names = [key.decode().lower() for key, _ in answer.headers.raw]
    assert answer.json()["error_code"] == "provider_unavailable"
    assert (names.count("date"), names.count("server")) == (1, 0)
    assert f"proxy report written to {report}" in (tmp_path / "stderr.txt").read_text("utf-8")
