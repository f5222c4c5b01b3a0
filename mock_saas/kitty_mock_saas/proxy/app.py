"""The validating proxy: forwards every request to the upstream unchanged and checks both sides.

Findings travel three ways: a `sl-violations` header on the answer (Prism's name, a JSON list)
with `x-kitty-contract-violations` counting them; the journal at `/__proxy/journal` and its page
at `/__proxy/`; and the JSON report written on exit. With `strict`, an answer that breaks the
contract is replaced by a non-retryable `contract_violation` envelope naming the findings. Paths
outside the contracts pass through unchecked.

The event loop only moves bytes: an answer is checked on the loop when it is small, in a worker
thread when it is larger, and passed on unchecked (and reported so) above `max_checked_bytes`.
One wall-clock bound covers each exchange with the upstream, from connecting to the last byte.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
from kitty_contracts import ErrorCode
from starlette.types import Message, Receive, Scope, Send

from kitty_mock_saas.errors import ApiError, send_api_error
from kitty_mock_saas.settings import ProxySettings
from kitty_mock_saas.stage import OperationTable, contract_operations
from kitty_mock_saas.stage.body import ClientDisconnected, read_body

from . import page
from .findings import Exchange, Finding, TooLargeToCheck, check_exchange, operation_id_of
from .headers import dated, forwarded_answer, forwarded_request
from .journal import Journal
from .recorder import Recorder

logger = logging.getLogger("kitty_mock_saas.proxy")
OWN_PREFIX = "/__proxy/"
_MAX_HEADER_FINDINGS_BYTES = 8192
# Answers up to this size are checked on the loop: a few milliseconds, less than a thread hop
# costs a concurrent small request when the worker threads are busy with large answers.
_INLINE_CHECK_BYTES = 16 * 1024


@dataclass(frozen=True)
class _Verdict:
    findings: list[Finding]
    refuse: bool
    unchecked: str | None


class ValidatingProxy:
    """ASGI app; `transport` reaches the upstream (default: real HTTP to `upstream_url`)."""

    def __init__(
        self,
        settings: ProxySettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        table: OperationTable | None = None,
        announce: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        # Told where the report went on exit (the CLI prints it; SIGTERM ends the process then).
        self._announce = announce
        self.table = table or contract_operations()
        self.journal = Journal(settings.journal_size)
        self.recorder = (
            Recorder(settings.record_dir, max_body_bytes=settings.max_body_bytes)
            if settings.record_dir
            else None
        )
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=settings.upstream_timeout_seconds,
            follow_redirects=False,
            trust_env=False,
        )
        # Two threads: two cores, and a third large check would only queue for the GIL.
        self._checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kitty-proxy-check")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return

        async def send_dated(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": dated(message.get("headers", []))}
            await send(message)

        if scope["path"] == OWN_PREFIX.rstrip("/") or scope["path"].startswith(OWN_PREFIX):
            await self._own(scope, send_dated)
        else:
            await self._forward(scope, receive, send_dated)

    async def aclose(self) -> None:
        """Close the upstream connections and write the report (when a path is set)."""
        await self._client.aclose()
        self._checks.shutdown(wait=True, cancel_futures=True)
        self.write_report()

    def write_report(self) -> None:
        if self.settings.report_path is None:
            return
        report = self.journal.report(self.settings.upstream_url)
        self.settings.report_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        if self._announce is not None:
            self._announce(f"proxy report written to {self.settings.report_path.resolve()}")

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _forward(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers: list[tuple[bytes, bytes]] = list(scope["headers"])
        try:
            body = await read_body(
                receive,
                limit=self.settings.max_body_bytes,
                content_length=None,
                deadline_seconds=self.settings.body_timeout_seconds,
            )
            status, answer_headers, answer = await self._upstream(scope, headers, body)
        except ClientDisconnected:
            return
        except ApiError as error:
            await send_api_error(scope, send, error)
            return
        exchange = Exchange(
            method=scope["method"],
            path=scope["path"],
            query=scope.get("query_string", b""),
            request_headers=headers,
            request_body=body,
            status=status,
            response_headers=answer_headers,
            response_body=answer,
        )
        if len(answer) <= _INLINE_CHECK_BYTES:
            verdict = self._settle(exchange)
        else:
            loop = asyncio.get_running_loop()
            verdict = await loop.run_in_executor(self._checks, self._settle, exchange)
        if verdict.refuse:
            operation_id = operation_id_of(self.table, exchange.method, exchange.path)
            await send_api_error(scope, send, _strict_refusal(operation_id, verdict.findings))
            return
        out = forwarded_answer(answer_headers, len(answer))
        if verdict.findings:
            out += _violation_headers(verdict.findings)
        if verdict.unchecked:
            out.append((b"x-kitty-contract-unchecked", verdict.unchecked.encode("ascii")))
        await send({"type": "http.response.start", "status": status, "headers": out})
        await send({"type": "http.response.body", "body": answer})

    def _settle(self, exchange: Exchange) -> _Verdict:
        """Check `exchange`, journal and record it: CPU and disk work, run off the loop when large."""
        operation_id = operation_id_of(self.table, exchange.method, exchange.path)
        unchecked: str | None = None
        try:
            findings = check_exchange(
                self.table, exchange, max_body_bytes=self.settings.max_checked_bytes
            )
        except TooLargeToCheck as too_large:
            findings, unchecked = [], too_large.reason
        refuse = self.settings.strict and any(f.direction == "response" for f in findings)
        entry = self.journal.record(
            exchange, operation_id, findings, strict_refusal=refuse, unchecked=unchecked
        )
        if self.recorder is not None:
            self.recorder.write(exchange, operation_id)
        if entry is not None and entry.findings:
            logger.warning(
                "%s %s (%s) breaks the contract: %s",
                exchange.method,
                entry.path,
                operation_id,
                "; ".join(f["message"] for f in entry.findings),
            )
            # The journal's copies: credentials the exchange carried are masked in them.
            findings = [Finding(f["direction"], f["message"]) for f in entry.findings]  # type: ignore[arg-type]
        return _Verdict(findings, refuse, unchecked)

    async def _upstream(
        self, scope: Scope, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """The upstream's answer: status, raw headers and raw (still encoded) body."""
        url = self.settings.upstream_url.rstrip("/") + scope["raw_path"].decode("latin-1")
        if scope.get("query_string"):
            url += "?" + scope["query_string"].decode("latin-1")
        request = self._client.build_request(
            scope["method"], url, headers=forwarded_request(headers), content=body
        )
        bound = self.settings.upstream_timeout_seconds
        try:
            async with asyncio.timeout(bound):
                return await self._read_answer(request)
        except (TimeoutError, httpx.TimeoutException):
            raise ApiError(
                ErrorCode.provider_timeout,
                f"The upstream {self.settings.upstream_url} did not answer in full within "
                f"{bound:g} s.",
                effect_certainty="unknown",
            ) from None
        except httpx.TransportError as exc:
            raise ApiError(
                ErrorCode.provider_unavailable,
                f"The upstream {self.settings.upstream_url} could not be reached "
                f"({type(exc).__name__}).",
                effect_certainty="unknown",
            ) from None

    async def _read_answer(
        self, request: httpx.Request
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        response = await self._client.send(request, stream=True)
        try:
            answer = bytearray()
            async for chunk in response.aiter_raw():
                answer += chunk
                if len(answer) > self.settings.max_body_bytes:
                    raise ApiError(
                        ErrorCode.provider_unavailable,
                        f"The upstream's answer is over {self.settings.max_body_bytes:,} bytes, "
                        "more than the proxy buffers.",
                        effect_certainty="unknown",
                    )
        finally:
            await response.aclose()
        return response.status_code, list(response.headers.raw), bytes(answer)

    async def _own(self, scope: Scope, send: Send) -> None:
        method, path = scope["method"], scope["path"].rstrip("/") + "/"
        if path == page.JOURNAL + "/" and method == "DELETE":
            self.journal.clear()
            await _send(send, 204, b"", "application/json")
        elif path == page.JOURNAL + "/" and method == "GET":
            report = self.journal.report(self.settings.upstream_url)
            await _send(send, 200, json.dumps(report).encode(), "application/json")
        elif path == page.PAGE and method == "GET":
            report = self.journal.report(self.settings.upstream_url)
            await _send(send, 200, page.journal_page(report).encode(), "text/html; charset=utf-8")
        elif path == page.STATIC + "/dashboard.css/" and method == "GET":
            await _send(send, 200, page.stylesheet(), "text/css; charset=utf-8")
        else:
            error = ApiError(ErrorCode.not_found, f"No such proxy page: {method} {scope['path']}.")
            await send_api_error(scope, send, error)


def _strict_refusal(operation_id: str | None, findings: list[Finding]) -> ApiError:
    answer = [f for f in findings if f.direction == "response"]
    return ApiError(
        ErrorCode.contract_violation,
        f"The upstream's answer to {operation_id} breaks the contract: {answer[0].message}"[:4096],
        details=[(f"{f.direction}", f.message) for f in findings],
        effect_certainty="unknown",  # the upstream handled the request
    )


def _violation_headers(findings: list[Finding]) -> list[tuple[bytes, bytes]]:
    listed: list[dict[str, Any]] = []
    for finding in findings:
        item = {"location": [finding.direction], "severity": "Error", "message": finding.message}
        if len(json.dumps([*listed, item])) > _MAX_HEADER_FINDINGS_BYTES:
            break
        listed.append(item)
    return [
        (b"sl-violations", json.dumps(listed).encode("ascii")),
        (b"x-kitty-contract-violations", str(len(findings)).encode()),
    ]


async def _send(send: Send, status: int, body: bytes, content_type: str) -> None:
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    if content_type.startswith("text/html"):
        headers.append((b"content-security-policy", b"default-src 'none'; style-src 'self'"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
