"""A stand-in for Nango's proxy, so the library's hosted mode and discovery can reach the fakes.

The library's `NangoProxyTransport` sends every request to `{nango_base_url}/proxy{path}` with
`Authorization: Bearer <nango secret key>`, `Connection-Id` and `Provider-Config-Key`, whatever
host the connector aimed at (`api.github.com`, `api.atlassian.com`, `api.linear.app`). Nango
then calls the provider with the connection's own credential and hands back its answer. This
does the same, over 127.0.0.1, for the connections it is given: a wrong secret key is a 401 and
an unknown connection a 404 (Nango's `{"error": {...}}` shape), so it is never more lenient than
Nango. It models nothing else of Nango (no OAuth dance, no retries, no rate limiting).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

__all__ = ["NangoConnection", "NangoStandIn", "running_nango"]

HOST = "127.0.0.1"
FORWARD_TIMEOUT_S = 30.0
# Headers that belong to the hop to Nango, not to the provider's request.
_HOP_HEADERS = frozenset(
    {
        "host",
        "authorization",
        "connection-id",
        "provider-config-key",
        "content-length",
        "connection",
        "accept-encoding",
    }
)
_ANSWER_HEADERS = ("content-type", "link", "retry-after", "x-ratelimit-remaining")


@dataclass(frozen=True)
class NangoConnection:
    """One Nango connection: the provider's base URL and the credential Nango holds for it."""

    base_url: str
    token: str


@dataclass(frozen=True)
class NangoStandIn:
    """A running stand-in: its URL and secret key, for `NangoConnectionContext`."""

    base_url: str
    secret_key: str


def _handler(
    secret_key: str, connections: Mapping[tuple[str, str], NangoConnection], client: httpx.Client
) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return  # quiet: the fakes record what they receive

        def _error(self, status: int, code: str, message: str) -> None:
            body = json.dumps({"error": {"code": code, "message": message}}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _proxy(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            if not self.path.startswith("/proxy/"):
                self._error(404, "not_found", f"no route {self.path}")
                return
            if self.headers.get("authorization") != f"Bearer {secret_key}":
                self._error(401, "invalid_secret_key", "The secret key is invalid.")
                return
            key = (
                self.headers.get("provider-config-key", ""),
                self.headers.get("connection-id", ""),
            )
            connection = connections.get(key)
            if connection is None:
                self._error(404, "unknown_connection", f"No connection {key[1]!r} for {key[0]!r}.")
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
            headers["Authorization"] = f"Bearer {connection.token}"
            try:
                answer = client.request(
                    self.command,
                    connection.base_url + self.path[len("/proxy") :],
                    headers=headers,
                    content=body,
                )
            except httpx.HTTPError as exc:
                self._error(502, "upstream_error", str(exc))
                return
            self.send_response(answer.status_code)
            for name in _ANSWER_HEADERS:
                if name in answer.headers:
                    self.send_header(name, answer.headers[name])
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _proxy

    return Handler


@contextlib.contextmanager
def running_nango(
    connections: Mapping[tuple[str, str], NangoConnection], secret_key: str = "nango-secret-acme"
) -> Iterator[NangoStandIn]:
    """Serve the stand-in on a free 127.0.0.1 port for `connections` ((provider config key,
    connection id) -> connection), and stop it afterwards."""
    with httpx.Client(timeout=FORWARD_TIMEOUT_S) as client:
        server = ThreadingHTTPServer((HOST, 0), _handler(secret_key, connections, client))
        thread = threading.Thread(target=server.serve_forever, name="nango-standin", daemon=True)
        thread.start()
        try:
            host, port = server.server_address[:2]
            yield NangoStandIn(base_url=f"http://{host!s}:{port}", secret_key=secret_key)
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10.0)
