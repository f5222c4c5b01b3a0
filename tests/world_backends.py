"""The tracker world on both backends (a pytest plugin, registered in tests/conftest.py).

- `world_location` (function): where a test's world lives, once per backend: ":memory:"
  (SQLite) and an empty PostgreSQL database of the test's own (`postgres_url`). A test or
  fixture that builds its world with `TrackerWorld(world_location)` runs on both.
- `shared_world_location` (function): where several `TrackerWorld`s of one test share a world,
  as processes or replicas do: an SQLite file in the test's directory, or a database of its own.
- `module_world_location`, `session_world_location`: the same for a world a module's or the
  session's tests share (a database of its own each).
- `default_world` (function): a fresh default world (`seed_default_world`) on each backend; on
  PostgreSQL a copy of a database seeded once per test process, which costs a third of
  seeding each test's own.

The PostgreSQL runs are marked `postgres` (`-m "not postgres"` leaves them out); they bring their
server themselves (tests/postgres_server.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from kitty_mock_saas.tracker_fakes.world import TrackerWorld, seed_default_world

from bench.throwaway_postgres import ThrowawayPostgres

SQLITE, POSTGRESQL = "sqlite", "postgresql"
BACKENDS = (SQLITE, POSTGRESQL)
_MEMORY = ":memory:"
_FIXTURES = (
    "default_world",
    "world_location",
    "shared_world_location",
    "module_world_location",
    "session_world_location",
)


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


@pytest.fixture(params=BACKENDS)
def shared_world_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == SQLITE:
        return str(tmp_path / "world.sqlite")
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


@pytest.fixture(scope="session")
def _seeded_template(postgres_server: ThrowawayPostgres) -> str:
    """A database holding the default world, seeded once (nobody stays connected to it)."""
    url = postgres_server.create_database()
    with TrackerWorld(url) as world:
        seed_default_world(world)
    return url.rsplit("/", 1)[1]


@pytest.fixture(params=BACKENDS)
def default_world(request: pytest.FixtureRequest) -> Iterator[TrackerWorld]:
    if request.param == SQLITE:
        with TrackerWorld(_MEMORY) as world:
            seed_default_world(world)
            yield world
        return
    server: ThrowawayPostgres = request.getfixturevalue("postgres_server")
    with (
        server.database(template=request.getfixturevalue("_seeded_template")) as url,
        TrackerWorld(url) as world,
    ):
        yield world
