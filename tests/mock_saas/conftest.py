"""The mock in-process: Starlette's TestClient over `create_app(MockSettings())`.

A test module marked `both_backends` runs each test that uses `mock` (or `state_settings`) twice:
on the embedded SQLite state and on PostgreSQL, each PostgreSQL run in a database of its own.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from fastapi.testclient import TestClient
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings

ALICE = {"Authorization": "Bearer tok-alice", "X-Team-Slug": "acme"}
BOB = {"Authorization": "Bearer tok-bob", "X-Team-Slug": "acme"}
ADMIN = {"X-Admin-Token": "admin-secret"}
SEARCH = "/api/v1/tracker/issue-search/"
BIND = "/api/v1/tracker/mission-origin/bind/"
EVENTS = "/api/v1/events/batch/"
BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_backends"
    ):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A PostgreSQL server to create test databases on."""
    url = os.environ.get("KITTY_TEST_POSTGRES_URL")  # noqa: TID251 - test configuration
    if not url:
        pytest.skip("no PostgreSQL server: set KITTY_TEST_POSTGRES_URL")
    return url


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@pytest.fixture
def fresh_database(postgres_url: str) -> Iterator[str]:
    """The URL of a new, empty database (dropped after the test)."""
    import psycopg

    name = f"kitty_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(postgres_url, name)
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def state_settings(backend: str, request: pytest.FixtureRequest) -> MockSettings:
    """Default settings whose state is on `backend`."""
    if backend == "sqlite":
        return MockSettings()
    return MockSettings(database_url=request.getfixturevalue("fresh_database"))


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
