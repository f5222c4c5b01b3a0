"""Wire faults against our own client: each one makes `SaaSTrackerClient` raise its typed error.

Twice: in process (the pytest plugin's sandbox; the mock raises what httpx raises on a socket)
and over a real socket of a `kitty-mock-saas serve` process (RST, close, cut body, slow drip).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest
from kitty_mock_saas.admin_client import MockAdmin
from kitty_mock_saas.faults import WireFault
from kitty_mock_saas.process import MockProcess, running_mock
from kitty_mock_saas.pytest_plugin import KittySaaS, SandboxTransport
from kitty_origin import (
    APIConnectionError,
    APITimeoutError,
    ClientSettings,
    ContractViolationError,
    SaaSTrackerClient,
    SpecKittySaaSError,
    StaticTokenProvider,
)

# Wire fault → the client's documented error (client/kitty_origin/errors.py).
EXPECTED: dict[WireFault, type[SpecKittySaaSError]] = {
    "connection_reset": APIConnectionError,
    "empty_response": APIConnectionError,
    "truncated_body": APIConnectionError,
    "malformed_json": ContractViolationError,
    "contract_violation": ContractViolationError,
}


def client_for(url: str, transport: httpx.BaseTransport, **settings: float) -> SaaSTrackerClient:
    """No retries, so the first failure is the one raised."""
    config = ClientSettings.from_env(
        env={}, base_url=url, team="acme", token_provider=StaticTokenProvider("tok-alice"),
        max_retries=0, **settings,
    )  # fmt: skip
    return SaaSTrackerClient(config, transport=transport, sleep=lambda _: None)


def search(client: SaaSTrackerClient, prefer: str | None = None) -> object:
    return client.search_issues("linear", "acme-web", query_text="Clerk", prefer=prefer)


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_in_process_wire_fault_raises_the_typed_error(
    kitty_saas: KittySaaS, kind: WireFault
) -> None:
    kitty_saas.faults.wire(kind, operation="searchIssues")
    client = client_for(kitty_saas.url, kitty_saas.transport)
    with pytest.raises(EXPECTED[kind]):
        search(client)
    assert search(client) is not None  # count 1: the next search is served


@pytest.mark.parametrize("kind", ["connection_reset", "empty_response", "malformed_json"])
def test_prefer_fault_breaks_one_request(kitty_saas: KittySaaS, kind: WireFault) -> None:
    client = client_for(kitty_saas.url, kitty_saas.transport)
    with pytest.raises(EXPECTED[kind]):
        search(client, prefer=f"fault={kind}")
    assert kitty_saas.faults.list() == []


def test_a_wire_fault_for_another_user_leaves_this_one_alone(kitty_saas: KittySaaS) -> None:
    kitty_saas.faults.connection_reset(count=5, user="bob@acme.example")
    assert search(client_for(kitty_saas.url, kitty_saas.transport)) is not None


def test_an_unknown_prefer_fault_is_a_400(kitty_saas: KittySaaS) -> None:
    answer = kitty_saas.http.get(
        "/api/v1/me", headers={"Authorization": "Bearer tok-alice", "Prefer": "fault=meteor"}
    )
    assert answer.status_code == 400
    assert answer.json()["error_code"] == "malformed_request"


@pytest.fixture(scope="module")
def live_mock() -> Iterator[MockProcess]:
    with running_mock("--state", ":memory:") as mock:
        yield mock


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_socket_wire_fault_raises_the_typed_error(live_mock: MockProcess, kind: WireFault) -> None:
    sandbox = f"wire-{kind}"
    with httpx.Client(base_url=live_mock.url) as http:
        MockAdmin(http, sandbox=sandbox).faults.wire(kind, operation="searchIssues")
    transport = SandboxTransport(httpx.HTTPTransport(), sandbox)
    with client_for(live_mock.url, transport) as client:
        with pytest.raises(EXPECTED[kind]):
            search(client)
        assert search(client) is not None


def drip(live_mock: MockProcess, sandbox: str, bytes_per_second: int) -> SandboxTransport:
    with httpx.Client(base_url=live_mock.url) as http:
        MockAdmin(http, sandbox=sandbox).faults.wire(
            "slow_drip", operation="searchIssues", bytes_per_second=bytes_per_second
        )
    return SandboxTransport(httpx.HTTPTransport(), sandbox)


def test_socket_slow_drip_meets_the_read_timeout(live_mock: MockProcess) -> None:
    """One byte a second against a 0.3 s read timeout: the second byte never comes in time."""
    transport = drip(live_mock, "drip-stalled", bytes_per_second=1)
    with client_for(live_mock.url, transport, timeout_seconds=0.3) as client:
        with pytest.raises(APITimeoutError):
            search(client)
        assert search(client) is not None


def test_socket_slow_drip_meets_the_operation_deadline(live_mock: MockProcess) -> None:
    """50 bytes every 0.1 s (no read ever waits 0.3 s) against a 1 s search deadline: the
    client's wall-clock deadline, not its read timeout, ends it."""
    transport = drip(live_mock, "drip-steady", bytes_per_second=500)
    with client_for(
        live_mock.url, transport, timeout_seconds=0.3, search_deadline_seconds=1
    ) as client:
        try:
            search(client)
        except APITimeoutError:
            return
        raise AssertionError("the dripped answer arrived after the 1 s deadline, without error")


def test_in_process_slow_drip_delivers_the_whole_answer(kitty_saas: KittySaaS) -> None:
    """No socket, no read timeout: the drip is slow but complete (see wire_faults)."""
    kitty_saas.faults.slow_drip(100_000, operation="searchIssues")
    assert search(client_for(kitty_saas.url, kitty_saas.transport)) is not None


def raw_exchange(url: str, prefer: str) -> bytes:
    """One GET /api/v1/me over a plain socket; what came back before the connection ended."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"GET /api/v1/me HTTP/1.1\r\nHost: mock\r\nAuthorization: Bearer tok-alice\r\n"
            b"Prefer: " + prefer.encode() + b"\r\n\r\n"
        )
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


def test_on_the_socket_a_reset_is_an_rst_and_an_empty_response_a_bare_close(
    live_mock: MockProcess,
) -> None:
    with pytest.raises(ConnectionResetError):
        raw_exchange(live_mock.url, "fault=connection_reset")
    assert raw_exchange(live_mock.url, "fault=empty_response") == b""
    cut = raw_exchange(live_mock.url, "fault=truncated_body")
    head, _, body = cut.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length")))  # fmt: skip
    assert head.startswith(b"HTTP/1.1 200")
    assert 0 < len(body) < length
