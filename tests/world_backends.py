"""The tracker world on both backends (a pytest plugin, registered in tests/conftest.py).

- `world_location` (function): where a test's world lives, once per backend: ":memory:"
  (SQLite) and an empty PostgreSQL database of the test's own (`postgres_url`). A test or
  fixture that builds its world with `TrackerWorld(world_location)` runs on both.
- `module_world_location`, `session_world_location`: the same for a world a module's or the
  session's tests share (a database of its own each).

The PostgreSQL runs are marked `postgres` (`-m "not postgres"` leaves them out); they bring their
server themselves (tests/postgres_server.py).
"""

from __future__ import annotations

import pytest

from bench.throwaway_postgres import ThrowawayPostgres

SQLITE, POSTGRESQL = "sqlite", "postgresql"
BACKENDS = (SQLITE, POSTGRESQL)
_MEMORY = ":memory:"
_FIXTURES = ("world_location", "module_world_location", "session_world_location")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is None:
            continue
        if POSTGRESQL in {callspec.params.get(name) for name in _FIXTURES}:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(params=BACKENDS)
def world_location(request: pytest.FixtureRequest) -> str:
    if request.param == SQLITE:
        return _MEMORY
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture(scope="module", params=BACKENDS)
def module_world_location(request: pytest.FixtureRequest) -> str:
    return _shared_location(request)


@pytest.fixture(scope="session", params=BACKENDS)
def session_world_location(request: pytest.FixtureRequest) -> str:
    return _shared_location(request)


def _shared_location(request: pytest.FixtureRequest) -> str:
    """A location for a longer-lived world: its database goes with the server, at the end."""
    if request.param == SQLITE:
        return _MEMORY
    server: ThrowawayPostgres = request.getfixturevalue("postgres_server")
    return server.create_database()
