"""The mock's reset puts the trackers' world back as seeded: a status written back through the
SaaS, and what the fakes' writes added (tickets, comments, labels, links, events), are undone."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from kitty_contracts import Provider
from kitty_mock_saas.tracker_fakes import TrackerWorld
from kitty_mock_saas.tracker_fakes.world.seed import ACME_WEB_TEAM

from tests.mock_saas.conftest import ADMIN, ALICE, BIND, bind_body

pytestmark = pytest.mark.both_backends

STATUS = "/api/v1/tracker/mission-origin/status/"
MISSION = "01JD8X4ZQK5M7N9P2R3S4T5V6W"
L = Provider.linear


def world_of(mock: TestClient) -> TrackerWorld:
    return mock.app.state.runtime.trackers.world  # type: ignore[attr-defined, no-any-return]


def test_the_reset_undoes_the_sync_write_back_and_every_tracker_write(mock: TestClient) -> None:
    world = world_of(mock)
    seeded = (
        world.ticket(L, "WEB-123"),
        world.comments(L, "WEB-123"),
        world.labels(L, ACME_WEB_TEAM.id),
    )
    assert mock.post(BIND, json=bind_body(), headers=ALICE).status_code == 200
    written = mock.post(STATUS, json={"mission_id": MISSION, "status": "done"}, headers=ALICE)
    assert written.status_code == 200, written.text
    created = world.create_ticket(
        L, "WEB", title="Passkeys", body_markdown=None, author="lin-bob", labels=["Passkeys"]
    )
    world.add_comment(L, "WEB-123", "lin-bob", "Shipped.")
    world.add_link(L, created.key, "WEB-123", "related", author="lin-bob")
    assert world.label(L, ACME_WEB_TEAM.id, "Passkeys") is not None
    done = world.ticket(L, "WEB-123")
    assert done is not None
    assert done.status_category.value == "done"
    assert world.ticket_events(L, "WEB-123") != []

    reset = mock.post("/__admin/reset", headers=ADMIN)
    assert reset.status_code == 200, reset.text

    assert (
        world.ticket(L, "WEB-123"),
        world.comments(L, "WEB-123"),
        world.labels(L, ACME_WEB_TEAM.id),
    ) == (seeded)
    assert world.ticket(L, created.key) is None
    assert world.label(L, ACME_WEB_TEAM.id, "Passkeys") is None
    assert world.links(L, "WEB-123") == []
    assert world.ticket_events(L, "WEB-123") == []
    assert world.status_writes(L) == []
    # The world answers as seeded: the next ticket takes the freed number again.
    again = world.create_ticket(L, "WEB", title="Passkeys", body_markdown=None, author="lin-bob")
    assert again.key == created.key
