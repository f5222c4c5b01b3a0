"""Every exchange a fake serves, shown to whoever watches (the test suite holds each one to the
provider's published contract). Nothing is kept and nothing is copied while nobody watches.

Usage::

    with watch_exchanges(seen.append):
        ...  # requests to any fake in this process
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "FakeExchange",
    "ObservedApp",
    "report",
    "serve_and_capture",
    "watch_exchanges",
    "watched",
]


@dataclass(frozen=True, slots=True)
class FakeExchange:
    """One request a fake received and the answer it gave, as bytes on the wire.

    `client` is "connector" when the request came through the mock's in-process transport
    (our own connectors), "http" for anything else (a socket, an ASGI client).
    """

    provider: str
    client: str
    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    request_content_type: str | None
    request_body: bytes
    status: int
    content_type: str | None
    body: bytes


Observer = Callable[[FakeExchange], None]
_observers: list[Observer] = []


@contextmanager
def watch_exchanges(observer: Observer) -> Iterator[None]:
    """Calls `observer` with every exchange any fake in this process serves, until exit."""
    _observers.append(observer)
    try:
        yield
    finally:
        _observers.remove(observer)


def watched() -> bool:
    """Whether anybody watches (the fakes skip all bookkeeping otherwise)."""
    return bool(_observers)


def report(exchange: FakeExchange) -> None:
    """Shows `exchange` to every observer."""
    for observer in list(_observers):
        observer(exchange)


def query_pairs(query_string: bytes | str) -> tuple[tuple[str, str], ...]:
    """The decoded (name, value) pairs of a query string, in order."""
    text = query_string.decode("latin-1") if isinstance(query_string, bytes) else query_string
    return tuple(parse_qsl(text, keep_blank_values=True))


class ObservedApp:
    """An ASGI app (a fake) whose exchanges are reported while somebody watches."""

    def __init__(self, app: ASGIApp, provider: str, *, client: str = "http") -> None:
        self.app, self.provider, self.client = app, provider, client

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not watched():
            await self.app(scope, receive, send)
            return
        report(await serve_and_capture(self.app, self.provider, self.client, scope, receive, send))


async def serve_and_capture(
    app: ASGIApp, provider: str, client: str, scope: Scope, receive: Receive, send: Send
) -> FakeExchange:
    """Serves one HTTP request with `app` and returns the exchange as it went over the wire."""
    # The whole request body first (an endpoint that refuses early never reads it).
    sent: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        sent.append(message.get("body", b""))
        more = message.get("more_body", False)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": b"".join(sent), "more_body": False}

    status = 0
    answered: dict[bytes, bytes] = {}
    chunks: list[bytes] = []

    async def send_and_keep(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
            answered.update((k.lower(), v) for k, v in message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
        await send(message)

    await app(scope, replay, send_and_keep)
    headers = {k.lower(): v for k, v in scope.get("headers", [])}
    return FakeExchange(
        provider=provider,
        client=client,
        method=scope["method"],
        path=scope["path"],
        query=query_pairs(scope.get("query_string", b"")),
        request_content_type=_text(headers.get(b"content-type")),
        request_body=b"".join(sent),
        status=status,
        content_type=_text(answered.get(b"content-type")),
        body=b"".join(chunks),
    )


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value is not None else None
