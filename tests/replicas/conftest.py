"""Two replicas of the mock on one PostgreSQL database (the throwaway server of
tests/postgres_server.py), started once per module: starting a replica costs about 2 s."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.throwaway_postgres import ThrowawayPostgres
from tests.replicas.harness import ReplicaSet

# Short enough for a test to watch a sandbox expire, long enough for it to use one first.
SANDBOX_TTL_S = 4.0


@pytest.fixture(scope="module")
def module_database(postgres_server: ThrowawayPostgres) -> Iterator[str]:
    """An empty database of the module's own, dropped after its last test."""
    postgres_server.start()
    url = postgres_server.create_database()
    yield url
    postgres_server.start()
    postgres_server.drop_database(url.rsplit("/", 1)[1])


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
