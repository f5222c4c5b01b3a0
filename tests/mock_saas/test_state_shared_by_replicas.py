"""Two mocks on one PostgreSQL database, in process, as two replicas behind a load balancer:
what one stores, the other answers from (links, idempotency records, faults, the journal,
snapshots, resets, sandboxes)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings
from kitty_mock_saas.store.schemas import sandbox_schema

from tests.mock_saas.conftest import ADMIN, ALICE, BIND, bind_body
from tests.mock_saas.test_auth_and_errors import assert_envelope
from tests.mock_saas.test_snapshots import _links


@pytest.fixture
def replicas(postgres_url: str) -> Iterator[tuple[TestClient, TestClient]]:
    """Two mocks on one PostgreSQL database, as two replicas behind a load balancer are."""
    settings = MockSettings(database_url=postgres_url)
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        yield one, two


def test_replicas_share_snapshots_restores_and_resets(
    replicas: tuple[TestClient, TestClient],
) -> None:
    one, two = replicas
    assert one.post(BIND, json=bind_body(), headers=ALICE).status_code == 200
    assert one.put("/__admin/snapshots/bound", headers=ADMIN).status_code == 201
    assert two.post("/__admin/reset", headers=ADMIN).status_code == 200
    assert _links(one) == []
    assert two.post("/__admin/snapshots/bound/restore", headers=ADMIN).status_code == 200
    assert _links(one) == _links(two) == ["01JD8X4ZQK5M7N9P2R3S4T5V6W"]
    # The bind the restore put back is the one both replicas answer for the mission.
    again = two.post(BIND, json=bind_body(), headers=ALICE)
    assert again.json()["outcome"] == "existing"


def test_a_sandbox_made_on_one_replica_is_seen_isolated_and_deleted_on_the_other(
    replicas: tuple[TestClient, TestClient],
) -> None:
    one, two = replicas
    in_sandbox = {**ALICE, "X-Kitty-Sandbox": "ci-7"}
    admin_in_sandbox = {**ADMIN, "X-Kitty-Sandbox": "ci-7"}
    assert one.post(BIND, json=bind_body(), headers=in_sandbox).status_code == 200
    listed = two.get("/__admin/sandboxes", headers=ADMIN).json()["sandboxes"]
    assert [s["name"] for s in listed] == ["ci-7"]
    links = two.get("/__admin/origin-links", headers=admin_in_sandbox).json()["origin_links"]
    assert len(links) == 1
    assert _links(two) == []  # the default state saw none of it
    assert two.delete("/__admin/sandboxes/ci-7", headers=ADMIN).status_code == 200
    links = one.get("/__admin/origin-links", headers=admin_in_sandbox).json()["origin_links"]
    assert links == []  # created anew on one, from the seed


def test_an_idempotency_key_replays_on_the_other_replica(
    replicas: tuple[TestClient, TestClient],
) -> None:
    one, two = replicas
    keyed = {**ALICE, "Idempotency-Key": "bind-key-0001"}
    first = one.post(BIND, json=bind_body(), headers=keyed)
    again = two.post(BIND, json=bind_body(), headers=keyed)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    reused = two.post(BIND, json=bind_body(mission_slug="061-other"), headers=keyed)
    assert_envelope(reused, 422, "idempotency_key_reused")


def test_a_fault_set_on_one_replica_applies_on_the_other_and_is_journalled_there(
    replicas: tuple[TestClient, TestClient],
) -> None:
    one, two = replicas
    set_fault = one.post("/__admin/faults", json={"outage": {"count": 1}}, headers=ADMIN)
    assert set_fault.status_code in (200, 201)
    assert_envelope(two.get("/api/v1/me", headers=ALICE), 503, "service_unavailable")
    assert one.get("/api/v1/me", headers=ALICE).status_code == 200  # the one use is spent
    # Each replica writes its journal lines within `flush_after` (0.25 s) of the request.
    for _ in range(40):
        found = one.post("/__admin/journal/find", json={"status": 503}, headers=ADMIN)
        if found.json()["count"]:
            break
        time.sleep(0.05)
    assert found.json()["count"] == 1


def _schemas(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'kitty_sbx_%'")
        return {str(r[0]) for r in rows}


def test_an_idle_sandbox_expires_for_every_replica_and_its_schema_goes(postgres_url: str) -> None:
    now = [1_000_000.0]
    settings = MockSettings(database_url=postgres_url, sandbox_idle_ttl_seconds=60)
    one_app = create_app(settings, wall_clock=lambda: now[0])
    two_app = create_app(settings, wall_clock=lambda: now[0])
    in_sandbox = {**ALICE, "X-Kitty-Sandbox": "ci-9"}
    with TestClient(one_app) as one, TestClient(two_app) as two:
        assert one.post(BIND, json=bind_body(), headers=in_sandbox).status_code == 200
        assert _schemas(postgres_url) == {sandbox_schema("ci-9")}
        now[0] += 61
        assert two.get("/__admin/sandboxes", headers=ADMIN).json()["sandboxes"] == []
        assert _schemas(postgres_url) == set()
        links = one.get(
            "/__admin/origin-links", headers={**ADMIN, "X-Kitty-Sandbox": "ci-9"}
        ).json()["origin_links"]
        assert links == []  # back from the seed, on the replica that made the first one
