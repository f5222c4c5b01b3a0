"""Faults below HTTP: the connection reset, closed, cut short or dripped, and bodies that lie.

Over a real socket (`kitty-mock-saas serve`), the server puts a `SocketControl` into the ASGI
scope's extensions and the fault acts on the TCP connection itself: a reset is an RST (SO_LINGER
0, then abort), an empty response and a truncated body are a plain close. In process (Starlette's
TestClient, httpx.ASGITransport) there is no socket, so the mock raises what httpx raises for the
same event on a socket, and the in-process caller sees the same exception. A slow drip is real in
both, but in process no read timeout applies, so only a caller's own wall-clock deadline ends it.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from typing import Any

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SOCKET_EXTENSION = "kitty.socket"
# A drip gives up after this long even if the client never leaves.
MAX_DRIP_SECONDS = 300.0
_MALFORMED = b'{"injected": "malformed_json", "candidates": [{"external_issue_key": "WEB-'
_VIOLATION = b'{"injected": "contract_violation"}'


class SocketControl:
    """What a fault may do to the connection under a request (put into the scope by the server)."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport

    def reset(self) -> None:
        """Abort with an RST instead of the orderly FIN."""
        sock = self._transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self._transport.abort()

    def close(self) -> None:
        self._transport.close()


def _socket(scope: Scope) -> SocketControl | None:
    control = scope.get("extensions", {}).get(SOCKET_EXTENSION)
    return control if isinstance(control, SocketControl) else None


async def _captured(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[Message, bytes]:
    """The app's whole answer: its start message and its body."""
    start: Message = {}
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, capture)
    return start, b"".join(chunks)


async def _until_disconnect(receive: Receive, seconds: float) -> None:
    """Wait (bounded) for the client to go, so uvicorn sees a connection that is gone, not an app
    that returned without answering."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            while (await receive())["type"] != "http.disconnect":
                pass


async def _json_200(send: Send, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _drip(start: Message, body: bytes, bytes_per_second: int, send: Send,
                receive: Receive) -> None:  # fmt: skip
    await send(start)
    gone = asyncio.create_task(_until_disconnect(receive, MAX_DRIP_SECONDS))
    chunk = max(1, bytes_per_second // 10)
    try:
        for offset in range(0, len(body), chunk):
            if gone.done():
                return
            piece = body[offset : offset + chunk]
            await send({"type": "http.response.body", "body": piece, "more_body": True})
            await asyncio.sleep(len(piece) / bytes_per_second)
        await send({"type": "http.response.body", "body": b""})
    finally:
        gone.cancel()


async def apply_wire_fault(
    fault: dict[str, Any],
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
) -> None:
    """Answer (or fail to answer) the request as `fault` says."""
    kind = fault["kind"]
    control = _socket(scope)
    if kind == "malformed_json":
        await _json_200(send, _MALFORMED)
        return
    if kind == "contract_violation":
        await _json_200(send, _VIOLATION)
        return
    if kind in ("connection_reset", "empty_response"):
        if control is None:
            if kind == "connection_reset":
                raise httpx.ReadError("[Errno 104] Connection reset by peer (injected)")
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        control.reset() if kind == "connection_reset" else control.close()
        await _until_disconnect(receive, 1.0)
        return
    start, body = await _captured(app, scope, receive)
    if kind == "slow_drip":
        await _drip(start, body, int(fault.get("bytes_per_second", 64)), send, receive)
        return
    # truncated_body: the real head (its Content-Length promises the whole body), half the body.
    await send(start)
    await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
    if control is None:
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body (injected)"
        )
    control.close()
    await _until_disconnect(receive, 1.0)
