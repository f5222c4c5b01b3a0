"""`kitty-mock-saas serve` as a real process: restart on its port at once, and bounded connections.

Every wait is bounded generously so that a regression fails the test instead of hanging it; how
fast a restart is goes in bench/restart.py, not here.
"""

from __future__ import annotations

import json
import select
import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from kitty_mock_saas.process import MockProcess, running_mock

from bench.restart import connected_clients, kill_hard, port_of, restart_on

WAIT_S = 30.0


def test_issue11_restart_on_the_same_port_after_kill_9_with_100_open_clients() -> None:
    with running_mock("--keep-alive", "60") as mock:
        port = port_of(mock)
        with connected_clients(port, 100):
            kill_hard(mock)
            # The old server's connections linger on the port; without SO_REUSEADDR this start
            # fails with "port in use" (exit 3) for about a minute.
            again, _ = restart_on(port)
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/me", timeout=WAIT_S,
                                   headers={"Authorization": "Bearer tok-alice"})  # fmt: skip
                assert answer.status_code == 200
            finally:
                again.stop()


def test_issue11_restart_after_a_stop_with_open_clients() -> None:
    with running_mock("--keep-alive", "60") as mock:
        port = port_of(mock)
        with connected_clients(port, 20):
            mock.stop()
            again, _ = restart_on(port)
            again.stop()


@pytest.fixture(scope="module")
def short_keep_alive() -> Iterator[MockProcess]:
    with running_mock("--keep-alive", "1") as mock:
        yield mock


def _closed_by_server(client: socket.socket) -> bool:
    """Whether the server closed the connection (EOF or reset) within the bound."""
    client.settimeout(WAIT_S)
    try:
        return client.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_issue11_an_idle_connection_is_closed(short_keep_alive: MockProcess) -> None:
    with socket.create_connection(("127.0.0.1", port_of(short_keep_alive))) as client:
        assert _closed_by_server(client)


def test_issue11_a_slowloris_head_is_cut_off(short_keep_alive: MockProcess) -> None:
    with socket.create_connection(("127.0.0.1", port_of(short_keep_alive))) as client:
        client.sendall(b"GET /api/v1/me HTTP/1.1\r\nHost: mock\r\n")
        deadline = time.monotonic() + WAIT_S
        closed = False
        while not closed and time.monotonic() < deadline:
            try:
                client.sendall(b"X")  # one byte of a header name every 0.2 s, never finished
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            client.settimeout(0.2)
            try:
                closed = client.recv(1) == b""
            except TimeoutError:
                pass
            except ConnectionResetError:
                closed = True
        assert closed


def test_issue11_megabytes_of_headers_are_refused_with_the_envelope(
    short_keep_alive: MockProcess,
) -> None:
    pad = b"X-Pad: " + b"x" * 8000 + b"\r\n"
    with socket.create_connection(("127.0.0.1", port_of(short_keep_alive))) as client:
        client.sendall(b"GET /api/v1/me HTTP/1.1\r\nHost: mock\r\n")
        for _ in range(25_000):  # up to 200 MB, until the server answers
            if select.select([client], [], [], 0)[0]:
                break
            client.sendall(pad)
        client.settimeout(WAIT_S)
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    status, _, rest = answer.partition(b"\r\n")
    assert status == b"HTTP/1.1 400 Bad Request", answer[:200]
    body = json.loads(rest.partition(b"\r\n\r\n")[2])
    assert body["error_code"] == "malformed_request"
