"""Shared test fixtures: repository paths, the ../shared reference data, a hanging server, and
(through tests/postgres_server.py) a throwaway PostgreSQL server."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from kitty_mock_saas.tracker_fakes.observe import FakeExchange, watch_exchanges

from tests.provider_contracts.checks import exchange_problems

ROOT = Path(__file__).resolve().parent.parent
# `postgres_server` and `postgres_url`: a throwaway PostgreSQL server, started only when asked for;
# `world_location`: the tracker world on each backend.
pytest_plugins = ["tests.postgres_server", "tests.world_backends"]


def shared_dir() -> Path | None:
    """`../shared` beside the checkout, or `KITTY_SHARED_DIR`; None when neither exists."""
    configured = os.environ.get("KITTY_SHARED_DIR")  # noqa: TID251 - test configuration
    candidate = Path(configured) if configured else ROOT.parent / "shared"
    return candidate if candidate.is_dir() else None


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared reference data; a hard failure under CI, a skip elsewhere."""
    found = shared_dir()
    if found is None:
        message = "../shared (or KITTY_SHARED_DIR) is missing: provider schemas cannot be read"
        if os.environ.get("CI", "").lower() == "true":  # noqa: TID251 - test configuration
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(autouse=True)
def provider_contracts(request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """Holds every answer a fake gives during the test (and every request our connectors send)
    to the provider's published contract; the test fails on anything off it, unless it is
    marked `off_contract` (it makes a fake drift on purpose)."""
    problems: list[str] = []

    def check(exchange: FakeExchange) -> None:
        problems.extend(exchange_problems(exchange))

    with watch_exchanges(check):
        yield problems
    if problems and request.node.get_closest_marker("off_contract") is None:
        shown = "\n".join(dict.fromkeys(problems))
        pytest.fail(f"fake exchanges off the providers' published contracts:\n{shown}")


@pytest.fixture
def hanging_tracker() -> Iterator[str]:
    """The URL of a 127.0.0.1 server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.05)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        server.close()
