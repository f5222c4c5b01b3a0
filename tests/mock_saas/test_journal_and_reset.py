"""Reset, snapshots and the journal of the admin API, driven through the pytest plugin's helper."""

from __future__ import annotations

import pytest
from kitty_mock_saas.admin_client import AdminError
from kitty_mock_saas.faults import FaultInjector
from kitty_mock_saas.pytest_plugin import KittySaaS
from kitty_mock_saas.state import open_state

from tests.mock_saas.conftest import ALICE, BIND, BOB, SEARCH, WEB_127, bind_body

pytestmark = pytest.mark.both_backends

MISSION_2 = "01JD8X4ZQK5M7N9P2R3S4T5V6X"


def bind(kitty_saas: KittySaaS, key: str, **overrides: str) -> int:
    headers = {**ALICE, "Idempotency-Key": key}
    return kitty_saas.http.post(BIND, json=bind_body(**overrides), headers=headers).status_code


def test_journal_counts_and_finds_by_operation_header_and_body_field(kitty_saas: KittySaaS) -> None:
    assert bind(kitty_saas, "key-one-0001") == 200
    assert bind(kitty_saas, "key-two-0002", mission_id=MISSION_2, **WEB_127) == 200
    kitty_saas.http.post(SEARCH, json={"provider": "linear", "project_slug": "acme-web",
                                       "query_text": "Clerk"}, headers=BOB)  # fmt: skip

    journal = kitty_saas.journal
    assert journal.count(operation="bindMissionOrigin") == 2
    assert journal.count(method="POST") == 3
    assert journal.count(path=SEARCH, user="bob@acme.example", status=200) == 1
    assert journal.count(headers={"Idempotency-Key": "key-two-0002"}) == 1
    assert journal.count(headers={"idempotency-key": "nope-0000"}) == 0
    [found] = journal.find(body={"mission_id": MISSION_2})
    assert found["operation"] == "bindMissionOrigin"
    assert found["body"]["external_issue_key"] == "WEB-127"
    assert journal.count(body={"external_issue_key": "WEB-123", "provider": "linear"}) == 1
    assert journal.count(body={"no.such.field": 1}) == 0


def test_journal_find_is_newest_first_and_limited(kitty_saas: KittySaaS) -> None:
    for n in range(3):
        kitty_saas.http.get("/api/v1/me", headers={**ALICE, "X-Request-N": str(n)})
    found = kitty_saas.journal.find(operation="getCurrentUser", limit=2)
    assert [e["headers"]["x-request-n"] for e in found] == ["2", "1"]


def test_journal_clear(kitty_saas: KittySaaS) -> None:
    kitty_saas.http.get("/api/v1/me", headers=ALICE)
    assert kitty_saas.journal.clear() == 1
    assert kitty_saas.journal.count() == 0


def test_reset_restores_the_seed_and_clears_journal_and_faults(kitty_saas: KittySaaS) -> None:
    assert bind(kitty_saas, "key-one-0001") == 200
    kitty_saas.faults.outage(count=5)
    assert len(kitty_saas.admin.origin_links()) == 1

    kitty_saas.reset()

    assert kitty_saas.admin.origin_links() == []
    assert kitty_saas.faults.list() == []
    assert kitty_saas.journal.count() == 0
    assert bind(kitty_saas, "key-one-0001") == 200  # the seed (users, mappings) is back


def test_snapshot_and_restore_the_state(kitty_saas: KittySaaS) -> None:
    assert bind(kitty_saas, "key-one-0001") == 200
    kitty_saas.snapshot("one-link")
    assert bind(kitty_saas, "key-two-0002", mission_id=MISSION_2, **WEB_127) == 200
    assert len(kitty_saas.admin.origin_links()) == 2

    kitty_saas.restore("one-link")

    assert [link["external_issue_key"] for link in kitty_saas.admin.origin_links()] == ["WEB-123"]
    # The journal is history, not state: it still has both binds.
    assert kitty_saas.journal.count(operation="bindMissionOrigin") == 2


def test_restoring_an_unknown_snapshot_is_a_404(kitty_saas: KittySaaS) -> None:
    with pytest.raises(AdminError) as caught:
        kitty_saas.restore("never-saved")
    assert caught.value.status == 404


def test_a_fault_scoped_to_an_operation_and_user_hits_only_those(kitty_saas: KittySaaS) -> None:
    kitty_saas.faults.rate_limit(count=1, operation="getCurrentUser", user="bob@acme.example")
    assert kitty_saas.http.get("/api/v1/me", headers=ALICE).status_code == 200
    assert bind(kitty_saas, "key-one-0001") == 200
    assert kitty_saas.http.get("/api/v1/me", headers=BOB).status_code == 429
    assert kitty_saas.http.get("/api/v1/me", headers=BOB).status_code == 200


def test_a_fault_for_an_unknown_operation_is_refused(kitty_saas: KittySaaS) -> None:
    with pytest.raises(AdminError) as caught:
        kitty_saas.faults.rate_limit(operation="bindMisionOrigin")
    assert caught.value.status == 422


def test_latency_jitter_stays_within_its_bounds() -> None:
    """The drawn delay is ms ± jitter_ms: checked on the injector with fixed draws, not a clock."""
    draws = iter([0.0, 1.0, 0.5])
    injector = FaultInjector(open_state(":memory:"), async_bind_default=False,
                             random=lambda: next(draws))  # fmt: skip
    fault = {"ms": 200, "jitter_ms": 50}
    assert [injector.delay_of(fault) for _ in range(3)] == [0.15, 0.25, 0.2]
