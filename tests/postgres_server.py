"""PostgreSQL for the tests that ask for it (a pytest plugin, registered in tests/conftest.py).

- `postgres_server` (session): one throwaway server per pytest process, so one per xdist worker,
  started the first time a test asks for it; nothing else starts one. Its directory is removed
  at the end of the session.
- `postgres_url` (function): `postgresql://postgres@127.0.0.1:PORT/db_<random>`, an empty database
  of its own, dropped after the test (its connections closed). A test may stop, kill or restart
  `postgres_server`; the next `postgres_url` starts it again when it is down.
- `frozen(server)`: its processes stopped (SIGSTOP) for a block, a server that hangs.

Every test using them is marked `postgres` (`-m "not postgres"` leaves them out). Without server
binaries they skip with what to install, except under `CI=true`, where they fail.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from typing import NoReturn

import pytest

from bench.throwaway_postgres import PostgresNotFound, ThrowawayPostgres, find_binaries
from bench.throwaway_postgres.processes import working_in


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "postgres_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


def postgres_unavailable(missing: PostgresNotFound) -> NoReturn:
    """Skip with what to install; under CI=true (where make test installs it) fail instead."""
    if os.environ.get("CI", "").lower() == "true":  # noqa: TID251 - test configuration
        pytest.fail(str(missing))
    pytest.skip(str(missing))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[ThrowawayPostgres]:
    try:
        binaries = find_binaries()
    except PostgresNotFound as missing:
        postgres_unavailable(missing)
    server = ThrowawayPostgres(binaries)
    try:
        yield server.start()
    finally:
        server.close()


@pytest.fixture
def postgres_url(postgres_server: ThrowawayPostgres) -> Iterator[str]:
    with postgres_server.database() as url:
        yield url


@contextlib.contextmanager
def frozen(server: ThrowawayPostgres) -> Iterator[None]:
    """The server's processes stopped (SIGSTOP) and continued at the end: connections stay
    open and nothing answers on them, as with a database host that hangs."""
    pids = working_in(server.data_dir)  # the postmaster and every backend
    assert server.pid in pids
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
