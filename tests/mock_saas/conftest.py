"""The mock in-process: Starlette's TestClient over `create_app(MockSettings())`.

A test marked `both_backends` that uses `mock` (or `state_settings`) runs twice: on the embedded
SQLite state and on PostgreSQL (the throwaway server of tests/postgres_server.py), each
PostgreSQL run in a database of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings

from bench.throwaway_postgres import ThrowawayPostgres

ALICE = {"Authorization": "Bearer tok-alice", "X-Team-Slug": "acme"}
BOB = {"Authorization": "Bearer tok-bob", "X-Team-Slug": "acme"}
ADMIN = {"X-Admin-Token": "admin-secret"}
SEARCH = "/api/v1/tracker/issue-search/"
BIND = "/api/v1/tracker/mission-origin/bind/"
EVENTS = "/api/v1/events/batch/"
# The PostgreSQL runs carry the `postgres` mark, as every test of the throwaway server does.
BACKENDS = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgres))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_backends"
    ):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def started_template(postgres_server: ThrowawayPostgres) -> Iterator[str]:
    """A database as a mock leaves it after its first start (migrated, seeded), to copy: a
    copy costs a fraction of migrating and seeding a new one per test."""
    name = f"kitty_started_{uuid.uuid4().hex[:12]}"
    url = postgres_server.create_database(name)
    try:
        create_app(MockSettings(database_url=url)).state.runtime.db.close()
        with psycopg.connect(postgres_server.url(), autocommit=True) as admin:
            # A template is copied only while nobody is connected to it.
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
        yield name
    finally:
        postgres_server.start()
        postgres_server.drop_database(name)


@pytest.fixture
def started_database(postgres_server: ThrowawayPostgres, started_template: str) -> Iterator[str]:
    """The URL of a new database holding a mock's state as at its first start."""
    with postgres_server.database(template=started_template) as url:
        yield url


@pytest.fixture
def state_settings(backend: str, request: pytest.FixtureRequest) -> MockSettings:
    """Default settings whose state is on `backend` (a database of its own per test)."""
    if backend == "sqlite":
        return MockSettings()
    return MockSettings(database_url=request.getfixturevalue("started_database"))


@pytest.fixture
def mock(state_settings: MockSettings) -> Iterator[TestClient]:
    with TestClient(create_app(state_settings), raise_server_exceptions=True) as client:
        yield client


def bind_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "provider": "linear",
        "mission_id": "01JD8X4ZQK5M7N9P2R3S4T5V6W",
        "external_issue_id": "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d",
        "external_issue_key": "WEB-123",
        "external_issue_url": "https://linear.app/acme/issue/WEB-123/add-clerk-auth",
        "external_title": "Add Clerk auth",
        "external_status": "In Progress",
        "mission_slug": "061-web-123-add-clerk-auth",
        "project_slug": "acme-web",
    }
    body.update(overrides)
    return body


WEB_127 = {
    "external_issue_id": "9c2d4e6f-1a3b-4c5d-8e7f-2b4c6d8e0f1a",
    "external_issue_key": "WEB-127",
    "external_issue_url": "https://linear.app/acme/issue/WEB-127/clerk-middleware-cleanup",
    "external_title": "Clerk middleware cleanup",
}
