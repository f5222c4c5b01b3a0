"""The mock as a pytest plugin (entry point `pytest11`): a live mock and a sandbox per test.

    def test_bind_is_retried(kitty_saas):
        kitty_saas.faults.rate_limit(count=1, operation="bindMissionOrigin")
        client = SaaSTrackerClient(settings_for(kitty_saas.url), transport=kitty_saas.transport)
        ...
        assert kitty_saas.journal.count(operation="bindMissionOrigin") == 2

Fixtures:
- `kitty_saas_server` (session): the mock, in process by default (an ASGI app behind Starlette's
  test transport), a real `kitty-mock-saas serve` on a free port with `--kitty-saas=process`, or
  one already running with `--kitty-saas=http://host:port` (shared by parallel CI jobs).
- `kitty_saas` (per test): a fresh sandbox of that mock, seeded from the fixtures, dropped at the
  end of the test: `url`, `transport` and `http` reach it; `faults`, `journal`, `tickets` (the
  embedded trackers' tickets: `get`, `update`, `delete`), `reset()`, `snapshot()`, `restore()`
  drive it.
"""

from __future__ import annotations

import re
import secrets
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from .admin_client import DEFAULT_ADMIN_TOKEN, Faults, Journal, MockAdmin, Tickets
from .admin_token import read_token_file, token_file
from .sandboxes import SANDBOX_HEADER

IN_PROCESS_URL = "http://testserver"


class SandboxTransport(httpx.BaseTransport):
    """Sends every request into one sandbox (sets `X-Kitty-Sandbox`), over an inner transport."""

    def __init__(self, inner: httpx.BaseTransport, sandbox: str) -> None:
        self._inner = inner
        self.sandbox = sandbox

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.headers[SANDBOX_HEADER] = self.sandbox
        return self._inner.handle_request(request)

    def close(self) -> None:
        """The inner transport belongs to the session's mock."""


class _ClientTransport(httpx.BaseTransport):
    """An `httpx.Client` (Starlette's TestClient) as a transport."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        # Streamed and unread, as a socket transport answers: the caller reads the raw body.
        inner = self._client.send(request, stream=True)
        return httpx.Response(
            inner.status_code,
            headers=inner.headers,
            stream=inner.stream,
            extensions=inner.extensions,
        )


@dataclass
class KittySaaSServer:
    """A live mock: where it is, how to reach it, and its admin token."""

    url: str
    transport: httpx.BaseTransport
    admin_token: str = DEFAULT_ADMIN_TOKEN
    in_process: bool = False
    # The admin calls of every sandbox go through this one client (each names its sandbox).
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.url, transport=self.transport)

    def admin(self, sandbox: str | None = None) -> MockAdmin:
        return MockAdmin(self.http, sandbox=sandbox, admin_token=self.admin_token)


@dataclass
class KittySaaS:
    """One sandbox of the mock, for one test."""

    server: KittySaaSServer
    sandbox: str
    transport: SandboxTransport = field(init=False)
    http: httpx.Client = field(init=False)
    admin: MockAdmin = field(init=False)

    def __post_init__(self) -> None:
        self.transport = SandboxTransport(self.server.transport, self.sandbox)
        self.http = httpx.Client(base_url=self.server.url, transport=self.transport)
        self.admin = self.server.admin(self.sandbox)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def faults(self) -> Faults:
        return self.admin.faults

    @property
    def journal(self) -> Journal:
        return self.admin.journal

    @property
    def tickets(self) -> Tickets:
        """This sandbox's tickets of the embedded trackers (its own copy from the first edit)."""
        return self.admin.tickets

    def reset(self) -> None:
        self.admin.reset()

    def snapshot(self, name: str) -> dict[str, Any]:
        return self.admin.snapshot(name)

    def restore(self, name: str) -> dict[str, Any]:
        return self.admin.restore(name)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kitty-saas", "the Spec Kitty mock SaaS")
    group.addoption(
        "--kitty-saas",
        dest="kitty_saas",
        default=None,
        help="inprocess (default), process (a real server on a free port), or the URL of a "
        "running mock",
    )
    group.addoption(
        "--kitty-saas-admin-token",
        dest="kitty_saas_admin_token",
        default=None,
        help="admin token of a running mock (default: the one it wrote to "
        "~/.cache/kitty-mock-saas/admin-token-PORT, else admin-secret)",
    )
    parser.addini("kitty_saas", "default for --kitty-saas", default="inprocess")


def _written_token(url: str) -> str | None:
    """The admin token a mock serving on this machine wrote for its port (`serve` does)."""
    port = httpx.URL(url).port
    if port is None or httpx.URL(url).host not in {"127.0.0.1", "localhost", "::1"}:
        return None
    return read_token_file(token_file(port))


def _check_reachable(url: str) -> None:
    """One clear failure for a mock that is not there, instead of a traceback per test."""
    try:
        httpx.get(f"{url}/__admin/health", timeout=5)
    except httpx.HTTPError as exc:
        pytest.fail(
            f"--kitty-saas={url}: no mock answers there ({type(exc).__name__}: {exc}). "
            "Start one (kitty-mock-saas serve) or use --kitty-saas=process.",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def kitty_saas_server(pytestconfig: pytest.Config) -> Iterator[KittySaaSServer]:
    """The live mock for this test session."""
    mode = pytestconfig.getoption("kitty_saas") or pytestconfig.getini("kitty_saas")
    given = pytestconfig.getoption("kitty_saas_admin_token")
    if mode == "inprocess":
        # Starlette warns at import that it runs on httpx; that is ours to know, not the user's.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
            from fastapi.testclient import TestClient

        from .app import create_app

        with TestClient(create_app(), base_url=IN_PROCESS_URL) as client:
            server = KittySaaSServer(
                IN_PROCESS_URL,
                _ClientTransport(client),
                admin_token=given or DEFAULT_ADMIN_TOKEN,
                in_process=True,
            )
            with server.http:
                yield server
    elif mode == "process":
        from .process import running_mock

        with (
            running_mock("--state", ":memory:", admin_token=given) as mock,
            httpx.HTTPTransport() as transport,
        ):
            server = KittySaaSServer(mock.url, transport, admin_token=given or mock.admin_token)
            with server.http:
                yield server
    elif str(mode).startswith(("http://", "https://")):
        url = str(mode).rstrip("/")
        token = given or _written_token(url) or DEFAULT_ADMIN_TOKEN
        _check_reachable(url)
        with httpx.HTTPTransport() as transport:
            server = KittySaaSServer(url, transport, admin_token=token)
            with server.http:
                yield server
    else:
        raise pytest.UsageError(f"--kitty-saas={mode!r}: use inprocess, process or a URL")


@pytest.fixture
def kitty_saas(
    kitty_saas_server: KittySaaSServer, request: pytest.FixtureRequest
) -> Iterator[KittySaaS]:
    """A sandbox of the mock of its own for this test (seeded; dropped afterwards)."""
    test = re.sub(r"[^A-Za-z0-9._-]+", "-", request.node.name)[:40].strip("-")
    name = f"{test or 'test'}-{secrets.token_hex(4)}"
    admin = kitty_saas_server.admin()
    admin.create_sandbox(name)
    sandbox = KittySaaS(kitty_saas_server, name)
    try:
        yield sandbox
    finally:
        sandbox.http.close()
        admin.delete_sandbox(name)
