"""Wall-clock deadlines on real sockets: every lookup, connect, read and write ends in the deadline.

httpx timeouts apply per socket operation, so a server that drips one byte a second never trips
them. Here the socket layer itself (an httpcore network backend) clamps each operation's timeout
to what is left of the running call's deadline, and refuses to start one once it has passed.
The deadline travels in a context variable set by the client around each logical call.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

# The running call's deadline on `time.monotonic()`; None outside a call (no extra bound).
_deadline: ContextVar[float | None] = ContextVar("kitty_origin_deadline", default=None)


@contextmanager
def wall_clock_deadline(seconds_left: float) -> Iterator[None]:
    """Bound every socket operation in this block to end within `seconds_left` from now."""
    token = _deadline.set(time.monotonic() + seconds_left)
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining(timeout: float | None, *, on_expiry: type[Exception]) -> float | None:
    """`timeout` clamped to the running deadline; raises `on_expiry` once the deadline passed."""
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise on_expiry("the call's deadline passed")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the running call's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, remaining(timeout, on_expiry=httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, remaining(timeout, on_expiry=httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = remaining(timeout, on_expiry=httpcore.ConnectTimeout)
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


Resolver = Callable[[str, int], list[str]]


def tcp_addresses(host: str, port: int) -> list[str]:
    """The addresses `getaddrinfo` gives for a TCP connection to `host`, in its order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def resolve_within_deadline(
    resolve: Resolver, host: str, port: int, timeout: float | None
) -> list[str]:
    """`resolve(host, port)`, given up on at `timeout` (name lookups ignore socket timeouts).

    The lookup runs on a daemon thread that is left to finish on its own if it overruns.
    """
    try:
        ipaddress.ip_address(host)
        return [host]
    except ValueError:
        pass
    found: list[list[str]] = []
    failed: list[OSError] = []

    def lookup() -> None:
        try:
            found.append(resolve(host, port))
        except OSError as exc:
            failed.append(exc)

    worker = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if found and found[0]:
        return found[0]
    if failed:
        raise httpcore.ConnectError(f"cannot resolve {host}: {failed[0]}") from failed[0]
    if found:
        raise httpcore.ConnectError(f"cannot resolve {host}: no address")
    raise httpcore.ConnectTimeout(f"resolving {host} did not finish in time")


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend with the running deadline applied to lookups, connects, streams."""

    def __init__(self, resolve: Resolver = tcp_addresses) -> None:
        self._inner = httpcore.SyncBackend()
        self._resolve = resolve

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = remaining(timeout, on_expiry=httpcore.ConnectTimeout)
        addresses = resolve_within_deadline(self._resolve, host, port, bounded)
        failure: Exception | None = None
        for address in addresses:  # in order, like socket.create_connection
            bounded = remaining(timeout, on_expiry=httpcore.ConnectTimeout)
            try:
                stream = self._inner.connect_tcp(
                    address, port, bounded, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                failure = exc
                continue
            return DeadlineStream(stream)
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = remaining(timeout, on_expiry=httpcore.ConnectTimeout)
        return DeadlineStream(self._inner.connect_unix_socket(path, bounded, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class DeadlineHTTPTransport(httpx.HTTPTransport):
    """httpx's own transport (request mapping, error mapping) over the deadline-aware sockets.

    httpx has no option for the network backend, so the connection pool is rebuilt here with it.
    """

    def __init__(self, resolve: Resolver = tcp_addresses) -> None:
        super().__init__()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=10,
            max_keepalive_connections=10,
            keepalive_expiry=5.0,
            network_backend=DeadlineBackend(resolve),
        )
