"""The validating proxy: forwards every request to the upstream unchanged and checks both sides.

Findings travel three ways: a `sl-violations` header on the answer (Prism's name, a JSON list)
with `x-kitty-contract-violations` counting them; the journal at `/__proxy/journal` and its page
at `/__proxy/`; and the JSON report written on exit. With `strict`, an answer that breaks the
contract is replaced by a 502 envelope naming the findings. Paths outside the contracts pass
through unchecked.
"""

from __future__ import annotations

import html
import json
import logging
from typing import Any

import httpx
from kitty_contracts import ErrorCode
from starlette.types import Receive, Scope, Send

from kitty_mock_saas.errors import ApiError, send_api_error
from kitty_mock_saas.host_names import foreign_host
from kitty_mock_saas.redaction import URL_SECRETS_FILTER
from kitty_mock_saas.settings import ProxySettings
from kitty_mock_saas.stage import OperationTable, contract_operations
from kitty_mock_saas.stage.body import ClientDisconnected, read_body

from .findings import Exchange, Finding, check_exchange, operation_id_of
from .journal import Journal
from .recorder import Recorder, write_private

logger = logging.getLogger("kitty_mock_saas.proxy")
OWN_PREFIX = "/__proxy/"
# Headers about one hop of the connection, never forwarded (RFC 9110 §7.6.1), plus the ones
# httpx and the ASGI server set themselves.
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)
_MAX_HEADER_FINDINGS_BYTES = 8192


class ValidatingProxy:
    """ASGI app; `transport` reaches the upstream (default: real HTTP to `upstream_url`)."""

    def __init__(
        self,
        settings: ProxySettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        table: OperationTable | None = None,
    ) -> None:
        self.settings = settings
        self.table = table or contract_operations()
        self.journal = Journal(settings.journal_size, max_body_bytes=settings.max_body_bytes)
        self.recorder = (
            Recorder(settings.record_dir, max_body_bytes=settings.max_body_bytes)
            if settings.record_dir
            else None
        )
        # httpx logs every URL it requests; a token in a query string must not reach the log.
        logging.getLogger("httpx").addFilter(URL_SECRETS_FILTER)
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=settings.upstream_timeout_seconds,
            follow_redirects=False,
            trust_env=False,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] != "http":
            return
        elif scope["path"] == OWN_PREFIX.rstrip("/") or scope["path"].startswith(OWN_PREFIX):
            await self._own(scope, send)
        else:
            await self._forward(scope, receive, send)

    async def aclose(self) -> None:
        """Close the upstream connections and write the report (when a path is set)."""
        await self._client.aclose()
        self.write_report()

    def write_report(self) -> None:
        if self.settings.report_path is None:
            return
        report = self.journal.report(self.settings.upstream_url)
        text = json.dumps(report, indent=2) + "\n"
        self.settings.report_path.unlink(missing_ok=True)
        write_private(self.settings.report_path, text)

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
        except ClientDisconnected:
            return
        except ApiError as error:
            await send_api_error(scope, send, error)
            return
        try:
            status, answer_headers, answer = await self._upstream(scope, headers, body)
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
        operation_id = operation_id_of(self.table, exchange.method, exchange.path)
        findings = check_exchange(self.table, exchange, max_body_bytes=self.settings.max_body_bytes)
        refuse = self.settings.strict and any(f.direction == "response" for f in findings)
        entry = self.journal.record(exchange, operation_id, findings, strict_refusal=refuse)
        if self.recorder is not None:
            self.recorder.write(exchange, operation_id)
        if entry is not None:
            logger.warning(
                "%s %s (%s) breaks the contract: %s",
                exchange.method,
                entry.path,
                operation_id,
                "; ".join(f["message"] for f in entry.findings),
            )
            findings = [Finding(f["direction"], f["message"]) for f in entry.findings]  # type: ignore[arg-type]
        if refuse:
            await send_api_error(scope, send, _strict_refusal(operation_id, findings))
            return
        out = [(k, v) for k, v in answer_headers if k.decode("latin-1").lower() not in _HOP_BY_HOP]
        out.append((b"content-length", str(len(answer)).encode()))
        if findings:
            out += _violation_headers(findings)
        await send({"type": "http.response.start", "status": status, "headers": out})
        await send({"type": "http.response.body", "body": answer})

    async def _upstream(
        self, scope: Scope, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """The upstream's answer: status, raw headers and raw (still encoded) body."""
        url = self.settings.upstream_url.rstrip("/") + scope["raw_path"].decode("latin-1")
        if scope.get("query_string"):
            url += "?" + scope["query_string"].decode("latin-1")
        forwarded = [(k, v) for k, v in headers if k.decode("latin-1").lower() not in _HOP_BY_HOP]
        request = self._client.build_request(scope["method"], url, headers=forwarded, content=body)
        try:
            response = await self._client.send(request, stream=True)
            try:
                chunks, size = [], 0
                async for chunk in response.aiter_raw():
                    size += len(chunk)
                    if size > self.settings.max_body_bytes:
                        raise ApiError(
                            ErrorCode.provider_unavailable,
                            f"The upstream's answer is over {self.settings.max_body_bytes:,} bytes; "
                            "the proxy does not pass on what it cannot check.",
                            effect_certainty="unknown",
                        )
                    chunks.append(chunk)
            finally:
                await response.aclose()
        except httpx.TimeoutException:
            raise ApiError(
                ErrorCode.provider_timeout,
                f"The upstream {self.settings.upstream_url} did not answer in time.",
                effect_certainty="unknown",
            ) from None
        except httpx.TransportError as exc:
            raise ApiError(
                ErrorCode.provider_unavailable,
                f"The upstream {self.settings.upstream_url} could not be reached "
                f"({type(exc).__name__}).",
                effect_certainty="unknown",
            ) from None
        return response.status_code, list(response.headers.raw), b"".join(chunks)

    async def _own(self, scope: Scope, send: Send) -> None:
        method, path = scope["method"], scope["path"].rstrip("/") + "/"
        foreign = foreign_host(scope)
        if foreign is not None:
            error = ApiError(
                ErrorCode.forbidden,
                f"The proxy's pages answer to its bound address and localhost, not to the host "
                f"{foreign[:64]!r}.",
            )
            await send_api_error(scope, send, error)
        elif path == "/__proxy/journal/" and method == "DELETE":
            self.journal.clear()
            await _send(send, 204, b"", "application/json")
        elif path == "/__proxy/journal/" and method == "GET":
            report = self.journal.report(self.settings.upstream_url)
            await _send(send, 200, json.dumps(report).encode(), "application/json")
        elif path == OWN_PREFIX and method == "GET":
            await _send(send, 200, self._page().encode(), "text/html; charset=utf-8")
        else:
            error = ApiError(ErrorCode.not_found, f"No such proxy page: {method} {scope['path']}.")
            await send_api_error(scope, send, error)

    def _page(self) -> str:
        report = self.journal.report(self.settings.upstream_url)
        rows = "".join(
            "<tr><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td><td><ul>{}</ul></td></tr>".format(
                html.escape(v["at"]),
                html.escape(v["method"]),
                html.escape(v["path"]),
                html.escape(v["operation_id"] or ""),
                v["status"],
                "".join(
                    f"<li>{html.escape(f['direction'])}: {html.escape(f['message'])}</li>"
                    for f in v["findings"]
                ),
            )
            for v in reversed(report["violations"])
        )
        return (
            "<!doctype html><html><head><meta charset='utf-8'><title>kitty proxy</title>"
            "<meta http-equiv='refresh' content='5'></head><body>"
            f"<h1>Contract violations of {html.escape(report['upstream'])}</h1>"
            f"<p>{report['exchanges']} exchanges, {report['violating_exchanges']} broke the "
            "contract. JSON: <a href='/__proxy/journal'>/__proxy/journal</a></p>"
            "<table border='1'><tr><th>at</th><th>request</th><th>operation</th><th>status</th>"
            f"<th>findings</th></tr>{rows}</table></body></html>"
        )


def _strict_refusal(operation_id: str | None, findings: list[Finding]) -> ApiError:
    answer = [f for f in findings if f.direction == "response"]
    return ApiError(
        ErrorCode.provider_unavailable,
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
        headers.append(
            (b"content-security-policy", b"default-src 'none'; style-src 'unsafe-inline'")
        )
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
