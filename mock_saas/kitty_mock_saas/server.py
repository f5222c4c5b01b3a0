"""Serving the mock over HTTP: one listening socket, uvicorn, and connection-level limits.

The socket is bound once, with `SO_REUSEADDR`, and handed to uvicorn: a restart right after a
crash (or a stop with clients still connected) gets the port back although the old connections
linger in TIME_WAIT/FIN_WAIT, and `--port 0` has no race between picking a port and binding it.

`GuardedHttpToolsProtocol` bounds what reaches the app: a request head (request line and header
fields) larger than the budget is refused with the error envelope, and a connection that has not
sent a complete head within the keep-alive time of opening, or of its previous answer, is closed
(idle and slowloris clients).
"""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import uvicorn
from kitty_contracts import ErrorCode
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.supervisors import Multiprocess

from .errors import ApiError
from .stage import contract_operations
from .wire_faults import SOCKET_EXTENSION, SocketControl

PROTOCOL = "kitty_mock_saas.server:GuardedHttpToolsProtocol"
# Beyond the contract's header budget (answered by the contract stage, with a request id), room
# for a long request line; only heads past this are refused here, before they are buffered.
_REQUEST_LINE_BYTES = 8192
_HEAD_TOO_LARGE = "The request line and header fields are over {limit:,} bytes."
_LINGER_SECONDS = 2.0


def head_budget() -> int:
    """The largest request head a connection may send (request line and header fields)."""
    largest = max(op.limits.header_bytes for op in contract_operations().operations)
    return 2 * largest + _REQUEST_LINE_BYTES


class _HeadTooLarge(Exception):
    pass


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a bounded request head and a deadline to send it."""

    def __init__(self, config: Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self._head_limit = config.h11_max_incomplete_event_size or head_budget()
        self._head_size = 0
        self._head_refused = False
        self._lingering = False
        self._head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if not self._lingering:  # after a refusal the rest of the request is read and dropped
            super().data_received(data)

    def eof_received(self) -> None:
        if self._lingering:
            self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_size = 0
        # Lets an injected wire fault reset or close this very connection.
        self.scope["extensions"] = {SOCKET_EXTENSION: SocketControl(self.transport)}  # type: ignore[dict-item]

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._disarm_head_deadline()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and not self.pipeline:
            self._arm_head_deadline()

    def send_400_response(self, msg: str) -> None:
        """The parser's refusals, in the error envelope (uvicorn sends plain text)."""
        if self._head_refused:
            msg = _HEAD_TOO_LARGE.format(limit=self._head_limit)
        error = ApiError(ErrorCode.malformed_request, msg)
        body = json.dumps(
            error.envelope(idempotency_key=None, request_id=None).model_dump(mode="json")
        ).encode()
        self.transport.write(
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n" + body
        )
        # A lingering close: closing with unread input would reset the connection and could
        # destroy the answer before the client reads it.
        self._lingering = True
        self._disarm_head_deadline()
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(_LINGER_SECONDS, self.transport.close)

    def _count(self, size: int) -> None:
        self._head_size += size
        if self._head_size > self._head_limit:
            self._head_refused = True
            raise _HeadTooLarge  # httptools turns it into a parser error: send_400_response

    def _arm_head_deadline(self) -> None:
        self._disarm_head_deadline()
        self._head_deadline = self.loop.call_later(self.timeout_keep_alive, self._head_too_slow)

    def _disarm_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_slow(self) -> None:
        if not self.transport.is_closing():
            self.transport.close()


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to (host, port) with SO_REUSEADDR, listening; port 0 picks a free one.

    Raises:
        OSError: EADDRINUSE when another socket listens there (SO_REUSEADDR does not allow that).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def run(
    app: Any,
    sock: socket.socket,
    *,
    workers: int,
    keep_alive_seconds: float,
    own_headers: bool = True,
) -> None:
    """Serve `app` (an ASGI app, or with workers an import string of a factory) on `sock`.

    `own_headers=False` leaves `Date` and `Server` to the app (a proxy passes on the upstream's).
    """
    config = uvicorn.Config(
        app,
        factory=workers > 1,
        workers=workers,
        http=PROTOCOL,
        timeout_keep_alive=max(1, round(keep_alive_seconds)),
        h11_max_incomplete_event_size=head_budget(),
        timeout_graceful_shutdown=5,
        log_level="warning",
        access_log=False,
        server_header=own_headers,
        date_header=own_headers,
    )
    if workers > 1:
        Multiprocess(config, sockets=[sock]).run()
    else:
        uvicorn.Server(config).run(sockets=[sock])
