"""Snapshots on both backends: a restore puts back exactly the saved state (links, events in
their order), and new rows after it come after the restored ones."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.mock_saas.conftest import ADMIN, ALICE, BIND, EVENTS, WEB_127, bind_body
from tests.mock_saas.test_auth_and_errors import assert_envelope
from tests.mock_saas.test_events import origin_event

pytestmark = pytest.mark.both_backends


def _event(event_id: str) -> dict[str, object]:
    return {
        **origin_event(f"01JD8Z00000000000000000{event_id.upper():>03}"),
        "event_type": "BuildRegistered",
        "payload": {"x": 1},
    }


def _links(mock: TestClient) -> list[str]:
    links = mock.get("/__admin/origin-links", headers=ADMIN).json()["origin_links"]
    return sorted(link["mission_id"] for link in links)


def _event_ids(mock: TestClient) -> list[str]:
    events = mock.get("/__admin/events", headers=ADMIN).json()["events"]
    return [e["event"]["event_id"][-2:].lower() for e in events]


def _send(mock: TestClient, *event_ids: str) -> None:
    answer = mock.post(EVENTS, json={"events": [_event(i) for i in event_ids]}, headers=ALICE)
    assert [r["status"] for r in answer.json()["results"]] == ["accepted"] * len(event_ids)


def test_a_restore_puts_back_the_saved_state_and_later_rows_follow_it(mock: TestClient) -> None:
    assert mock.post(BIND, json=bind_body(), headers=ALICE).status_code == 200
    _send(mock, "e1", "e2")
    assert mock.put("/__admin/snapshots/one", headers=ADMIN).status_code == 201
    other = bind_body(mission_id="01JD8X4ZQK5M7N9P2R3S4T5V6X", **WEB_127)
    assert mock.post(BIND, json=other, headers=ALICE).status_code == 200
    _send(mock, "e3")
    assert len(_links(mock)) == 2
    restored = mock.post("/__admin/snapshots/one/restore", headers=ADMIN)
    assert restored.status_code == 200
    assert _links(mock) == ["01JD8X4ZQK5M7N9P2R3S4T5V6W"]
    assert _event_ids(mock) == ["e2", "e1"]  # newest first, as before
    # New rows after the restore come after the restored ones.
    _send(mock, "e4")
    assert _event_ids(mock) == ["e4", "e2", "e1"]
    assert mock.post(BIND, json=other, headers=ALICE).status_code == 200
    # The snapshot stays restorable; deleting it makes it unknown.
    assert mock.delete("/__admin/snapshots/one", headers=ADMIN).status_code == 200
    assert_envelope(mock.post("/__admin/snapshots/one/restore", headers=ADMIN), 404, "not_found")


def test_saving_again_under_a_name_replaces_the_snapshot(mock: TestClient) -> None:
    assert mock.put("/__admin/snapshots/s", headers=ADMIN).status_code == 201
    assert mock.post(BIND, json=bind_body(), headers=ALICE).status_code == 200
    assert mock.put("/__admin/snapshots/s", headers=ADMIN).status_code == 201
    assert mock.post("/__admin/reset", headers=ADMIN).status_code == 200
    assert _links(mock) == []
    assert mock.post("/__admin/snapshots/s/restore", headers=ADMIN).status_code == 200
    assert _links(mock) == ["01JD8X4ZQK5M7N9P2R3S4T5V6W"]
    names = [s["name"] for s in mock.get("/__admin/snapshots", headers=ADMIN).json()["snapshots"]]
    assert names == ["s"]
