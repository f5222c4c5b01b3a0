"""The mock in-process: Starlette's TestClient over `create_app(MockSettings())`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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


@pytest.fixture
def mock() -> Iterator[TestClient]:
    with TestClient(create_app(MockSettings()), raise_server_exceptions=True) as client:
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
