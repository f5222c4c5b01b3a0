"""Two replicas of the mock on one PostgreSQL database (on the throwaway server of
tests/postgres_server.py unless a module brings its own `database_server`), started once per
module: starting a replica costs about 2 s."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.replicas import ReplicaSet
from bench.throwaway_postgres import ThrowawayPostgres

# Short enough for a test to watch a sandbox expire, long enough for it to use one first.
SANDBOX_TTL_S = 5.0


@pytest.fixture(scope="module")
def database_server(postgres_server: ThrowawayPostgres) -> ThrowawayPostgres:
    """The server the module's database lives on: the shared one."""
    return postgres_server


@pytest.fixture(scope="module")
def module_database(database_server: ThrowawayPostgres) -> Iterator[str]:
    """An empty database of the module's own, dropped after its last test."""
    with database_server.database() as url:
        yield url


@pytest.fixture(scope="module")
def replicas(
    module_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ReplicaSet]:
    """Two `serve --database URL` processes on the module's database."""
    workdir = tmp_path_factory.mktemp("replicas")
    with ReplicaSet(
        module_database, count=2, workdir=workdir, args=["--sandbox-ttl", str(SANDBOX_TTL_S)]
    ) as started:
        yield started
