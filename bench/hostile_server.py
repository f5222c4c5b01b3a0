"""Small misbehaving HTTP servers on 127.0.0.1, for the client's deadline and bounds promises.

Each scenario is a function that gets the accepted socket (the request already read) and a stop
event; the server runs it on its own thread per connection. Used by the hostile-network tests
and by `bench/hostile.py` (peak memory per scenario).
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from functools import cache

Scenario = Callable[[socket.socket, threading.Event], None]

DRIP_INTERVAL = 0.05
BOMB_INFLATED_BYTES = 512 * 1024 * 1024
NESTING = 100_000

VALID_SEARCH = json.dumps(
    {
        "candidates": [],
        "provider": "linear",
        "resource_type": "linear_team",
        "resource_id": "team-1",
        "query_used": "Clerk auth",
    }
).encode()


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    return "\r\n".join(lines).encode()


def _json_answer(status: str, body: bytes) -> bytes:
    return _head(status, {"Content-Type": "application/json", "Content-Length": str(len(body))})


def _drip(conn: socket.socket, stop: threading.Event, data: bytes, interval: float) -> None:
    for index in range(len(data)):
        if stop.wait(interval):
            return
        conn.sendall(data[index : index + 1])


def never_answers(conn: socket.socket, stop: threading.Event) -> None:
    """Reads the request, then says nothing until the client gives up."""
    stop.wait(60)


def drips_headers(conn: socket.socket, stop: threading.Event) -> None:
    """A status line, then one header byte at a time, forever."""
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    _drip(conn, stop, b"X-Slow: " + b"a" * 100_000, DRIP_INTERVAL)


def drips_body(conn: socket.socket, stop: threading.Event) -> None:
    """Headers at once, then a valid body one byte at a time (a late success if waited for)."""
    conn.sendall(_json_answer("200 OK", VALID_SEARCH))
    _drip(conn, stop, VALID_SEARCH, DRIP_INTERVAL)


def claims_two_gigabytes(conn: socket.socket, stop: threading.Event) -> None:
    """`Content-Length: 2000000000`, then zeros as fast as the client reads them."""
    conn.sendall(
        _head("200 OK", {"Content-Type": "application/json", "Content-Length": "2000000000"})
    )
    chunk = b"0" * 65536
    while not stop.is_set():
        conn.sendall(chunk)


def streams_without_length(conn: socket.socket, stop: threading.Event) -> None:
    """No length at all (the body ends with the connection): an endless JSON string."""
    conn.sendall(_head("200 OK", {"Content-Type": "application/json", "Connection": "close"}))
    conn.sendall(b'{"candidates": "')
    chunk = b"x" * 65536
    while not stop.is_set():
        conn.sendall(chunk)


@cache
def gzip_bomb() -> bytes:
    """About 0.5 MB of gzip that inflates to 512 MiB of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1024 * 1024)
    parts = [packer.compress(block) for _ in range(BOMB_INFLATED_BYTES // len(block))]
    parts.append(packer.flush())
    return b"".join(parts)


def sends_gzip_bomb(conn: socket.socket, stop: threading.Event) -> None:
    """A small gzip answer that inflates to 512 MiB."""
    body = gzip_bomb()
    headers = {
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
        "Content-Length": str(len(body)),
    }
    conn.sendall(_head("200 OK", headers) + body)


def nested_json(status: str) -> Scenario:
    """A JSON array nested 100,000 deep, on `status`."""
    body = b"[" * NESTING + b"]" * NESTING

    def scenario(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(_json_answer(status, body) + body)

    return scenario


def invalid_json(conn: socket.socket, stop: threading.Event) -> None:
    """A 200 whose body is not JSON (and not UTF-8)."""
    body = b'{"candidates": [\xff\xfe'
    conn.sendall(_json_answer("200 OK", body) + body)


def accepts_then_stalls_the_poll() -> Scenario:
    """A bind answered 202 (poll again at once), then polls that are never answered."""
    operation = json.dumps(
        {
            "operation_id": "op_01J9Z6Y1F6K5N3W0V4T8R2Q7PA",
            "status": "pending",
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
            "poll_after_seconds": 0.1,
        }
    ).encode()
    served = 0

    def scenario(conn: socket.socket, stop: threading.Event) -> None:
        nonlocal served
        served += 1
        if served > 1:
            stop.wait(60)
            return
        head = _head(
            "202 Accepted",
            {
                "Content-Type": "application/json",
                "Content-Length": str(len(operation)),
                "Connection": "close",
            },
        )
        conn.sendall(head + operation)

    return scenario


def resets_mid_body(conn: socket.socket, stop: threading.Event) -> None:
    """Half the promised body, then a TCP reset."""
    conn.sendall(_json_answer("200 OK", VALID_SEARCH) + VALID_SEARCH[:20])
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


SCENARIOS: dict[str, Scenario] = {
    "never_answers": never_answers,
    "drips_headers": drips_headers,
    "drips_body": drips_body,
    "claims_two_gigabytes": claims_two_gigabytes,
    "streams_without_length": streams_without_length,
    "gzip_bomb": sends_gzip_bomb,
    "nested_json_200": nested_json("200 OK"),
    "nested_json_500": nested_json("500 Internal Server Error"),
    "invalid_json": invalid_json,
    "resets_mid_body": resets_mid_body,
}
# Bind-only scenarios (a search answered 202 would be a contract violation, not a timeout).
BIND_SCENARIOS: dict[str, Callable[[], Scenario]] = {
    "accepts_then_stalls_the_poll": accepts_then_stalls_the_poll,
}


class HostileServer:
    """Serves one scenario to every connection, on 127.0.0.1 and a free port."""

    def __init__(self, scenario: Scenario) -> None:
        self._scenario = scenario
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host}:{port}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            _read_request(conn)
            self._scenario(conn, self._stop)
            self._stop.wait(0.2)  # let the client read what was sent before the close

    def __enter__(self) -> HostileServer:
        self._acceptor.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._acceptor.join(timeout=5)
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=5)


def _read_request(conn: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return
        body += chunk


@contextlib.contextmanager
def serving(name: str) -> Iterator[HostileServer]:
    """The named scenario's server, stopped at the end of the block."""
    scenario = SCENARIOS[name] if name in SCENARIOS else BIND_SCENARIOS[name]()
    with HostileServer(scenario) as server:
        yield server
