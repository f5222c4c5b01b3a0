"""Two replicas on one PostgreSQL database answer as one mock.

Each test talks to both `serve --database URL` processes over HTTP, as clients behind a load
balancer would, and checks that a business rule enforced by one holds for the other: one origin
per mission under racing binds, idempotency records, event de-duplication, faults, sandboxes,
reset and snapshots. The replicas are started once for the module; each test uses missions and
keys of its own.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from bench.replicas import ADMIN, Replica, ReplicaSet, bind_body
from tests.replicas.calls import (
    ALICE,
    BIND,
    EVENTS,
    SANDBOX,
    SEARCH,
    WEB_TICKETS,
    admin_get,
    admin_request,
    client,
    envelope,
    linear_ticket,
    new_mission_id,
    origin_event,
    origin_links,
    stored_event_ids,
)
from tests.replicas.conftest import SANDBOX_TTL_S

pytestmark = pytest.mark.slow
RACERS = 50
RACE_TICKETS = 10
REPLAYED = "Idempotency-Replayed"
BOUND_S = 30.0  # the longest any one wait below may take


def origin_path(mission_id: str) -> str:
    return f"/api/v1/tracker/missions/{mission_id}/origin/"


def bind(
    http: httpx.Client,
    replica: Replica,
    body: dict[str, Any],
    key: str,
    *,
    sandbox: str | None = None,
) -> httpx.Response:
    headers = {**ALICE, "Idempotency-Key": key, **({SANDBOX: sandbox} if sandbox else {})}
    return http.post(f"{replica.url}{BIND}", json=body, headers=headers)


def test_fifty_racing_binds_over_two_replicas_leave_one_origin_and_replay_anywhere(
    replicas: ReplicaSet,
) -> None:
    tickets = [linear_ticket(replicas[0], key) for key in WEB_TICKETS[:RACE_TICKETS]]
    mission = new_mission_id()
    # Racer n binds ticket n % 10 through replica (n // 10) % 2: every ticket through both.
    plans = [
        (replicas[(n // RACE_TICKETS) % 2], tickets[n % RACE_TICKETS], f"race-{mission}-{n}")
        for n in range(RACERS)
    ]
    start = threading.Barrier(RACERS)

    def race(plan: tuple[Replica, dict[str, Any], str]) -> httpx.Response:
        replica, ticket, key = plan
        start.wait(timeout=BOUND_S)
        return bind(http, replica, bind_body(mission, ticket), key)

    with client() as http, ThreadPoolExecutor(RACERS) as pool:
        answers = list(pool.map(race, plans))

        assert {a.status_code for a in answers} <= {200, 409}, [
            (a.status_code, a.text) for a in answers if a.status_code not in (200, 409)
        ]
        assert not any(REPLAYED in a.headers for a in answers)
        won = [a.json() for a in answers if a.status_code == 200]
        assert [w["outcome"] for w in won].count("created") == 1, won
        assert len({(w["origin_link_id"], w["external_issue_id"]) for w in won}) == 1, won
        winner = won[0]
        # Every racer that asked for the winning ticket got the link; every other one a 409.
        same_ticket = [p for p in plans if p[1]["id"] == winner["external_issue_id"]]
        assert len(won) == len(same_ticket) == RACERS // RACE_TICKETS
        conflicts = [(p, a) for p, a in zip(plans, answers, strict=True) if a.status_code == 409]
        assert len(conflicts) == RACERS - len(same_ticket)
        for (_, ticket, key), answer in conflicts:
            body = envelope(answer)
            assert body["error_code"] == "origin_already_bound"
            assert body["idempotency_key"] == key
            assert ticket["id"] != winner["external_issue_id"]

        for replica in replicas:
            links = [link for link in origin_links(replica) if link["mission_id"] == mission]
            assert [link["origin_link_id"] for link in links] == [winner["origin_link_id"]]
            read = http.get(f"{replica.url}{origin_path(mission)}", headers=ALICE)
            assert read.status_code == 200, read.text
            assert read.json()["origin_link_id"] == winner["origin_link_id"]

        # Each key replayed through the replica that did not answer it: the stored answer.
        for (replica, ticket, key), first in zip(plans, answers, strict=True):
            other = replicas[1 - replicas.replicas.index(replica)]
            again = bind(http, other, bind_body(mission, ticket), key)
            assert again.headers.get(REPLAYED) == "true", (key, again.status_code, again.text)
            assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert sum(link["mission_id"] == mission for link in origin_links(replicas[1])) == 1


def test_an_idempotency_key_replays_on_the_other_replica(replicas: ReplicaSet) -> None:
    a, b = replicas
    mission = new_mission_id()
    first_ticket, other_ticket = (linear_ticket(a, key) for key in WEB_TICKETS[10:12])
    body = bind_body(mission, first_ticket)
    with client() as http:
        first = bind(http, a, body, f"idem-{mission}")
        assert first.status_code == 200, first.text
        assert first.json()["outcome"] == "created"
        assert REPLAYED not in first.headers

        again = bind(http, b, body, f"idem-{mission}")
        assert again.status_code == 200, again.text
        assert again.headers.get(REPLAYED) == "true"
        assert again.json() == first.json()

        # The same key with another body is refused on either replica, and changes nothing.
        for replica in replicas:
            reused = bind(http, replica, bind_body(mission, other_ticket), f"idem-{mission}")
            assert reused.status_code == 422, reused.text
            assert envelope(reused)["error_code"] == "idempotency_key_reused"
        # A new key for the same body is a plain re-bind, answered from the stored link.
        fresh = bind(http, b, body, f"idem-{mission}-2")
        assert fresh.status_code == 200
        assert REPLAYED not in fresh.headers
        assert fresh.json()["outcome"] == "existing"
        assert fresh.json()["origin_link_id"] == first.json()["origin_link_id"]
    assert sum(link["mission_id"] == mission for link in origin_links(a)) == 1


def test_an_event_sent_through_both_replicas_is_stored_once(replicas: ReplicaSet) -> None:
    a, b = replicas
    ticket = linear_ticket(a, WEB_TICKETS[0])
    mission = new_mission_id()
    twice, racing = new_mission_id(), new_mission_id()
    with client() as http:

        def send(replica: Replica, event_id: str) -> str:
            event = origin_event(event_id, mission, ticket)
            answer = http.post(f"{replica.url}{EVENTS}", json={"events": [event]}, headers=ALICE)
            assert answer.status_code == 200, answer.text
            [result] = answer.json()["results"]
            assert result["event_id"] == event_id
            return str(result["status"])

        assert [send(a, twice), send(b, twice)] == ["accepted", "duplicate"]
        # The same event sent 20 times at once, through both replicas: one is accepted.
        senders = [replicas[n % 2] for n in range(20)]
        start = threading.Barrier(len(senders))

        def race(replica: Replica) -> str:
            start.wait(timeout=BOUND_S)
            return send(replica, racing)

        with ThreadPoolExecutor(len(senders)) as pool:
            statuses = list(pool.map(race, senders))
    assert sorted(statuses) == ["accepted"] + ["duplicate"] * (len(senders) - 1)
    for replica in replicas:
        stored = stored_event_ids(replica)
        assert stored.count(twice) == 1
        assert stored.count(racing) == 1


def test_a_fault_set_through_one_replica_applies_on_the_other(replicas: ReplicaSet) -> None:
    a, b = replicas
    search = {"provider": "linear", "project_slug": "acme-web", "query_text": "Clerk auth"}
    added = admin_request(a, "faults", {"outage": {"count": 3, "operation": "searchIssues"}})
    assert added.status_code == 201, added.text
    [fault] = added.json()["faults"]
    try:
        assert admin_get(b, "faults")["faults"] == [fault]
        with client() as http:
            # Three uses in all, whichever replica the request reaches.
            for replica in (b, a, b):
                answer = http.post(f"{replica.url}{SEARCH}", json=search, headers=ALICE)
                assert answer.status_code == 503, answer.text
                assert envelope(answer)["error_code"] == "service_unavailable"
            for replica in replicas:
                answer = http.post(f"{replica.url}{SEARCH}", json=search, headers=ALICE)
                assert answer.status_code == 200, answer.text
        assert admin_get(a, "faults")["faults"] == []
        # A switch set through b and cleared through a.
        assert admin_request(b, "faults", {"async_bind": True}).status_code == 201
        assert [f["kind"] for f in admin_get(a, "faults")["faults"]] == ["async_bind"]
        cleared = httpx.delete(f"{a.url}/__admin/faults", headers=ADMIN, timeout=BOUND_S)
        assert cleared.json() == {"cleared": 1}
        assert admin_get(b, "faults")["faults"] == []
    finally:
        httpx.delete(f"{a.url}/__admin/faults", headers=ADMIN, timeout=BOUND_S)


def test_a_policy_changed_through_one_replica_holds_on_the_others_next_request(
    replicas: ReplicaSet,
) -> None:
    """Each replica remembers reads until its store changes; a change made through the other
    replica must count, even before this replica has written anything since."""
    a, b = replicas
    search = {"provider": "linear", "project_slug": "acme-web", "query_text": "Clerk auth"}
    policy = "teams/acme/origin-providers"
    seeded = {"origin_providers": ["jira", "linear", "github"]}  # acme's in the fixtures
    with client() as http:
        try:
            for _ in range(5):
                # b reads the policy, a drops Linear, b's very next request is refused.
                assert http.post(f"{b.url}{SEARCH}", json=search, headers=ALICE).status_code == 200
                dropped = admin_request(a, policy, {"origin_providers": ["jira"]}, method="PUT")
                assert dropped.status_code == 200, dropped.text
                refused = http.post(f"{b.url}{SEARCH}", json=search, headers=ALICE)
                assert refused.status_code == 422, refused.text
                assert envelope(refused)["error_code"] == "unsupported_provider"
                assert admin_request(a, policy, seeded, method="PUT").status_code == 200
        finally:
            admin_request(a, policy, seeded, method="PUT")


def test_a_sandbox_is_seen_isolated_and_expired_on_every_replica(replicas: ReplicaSet) -> None:
    a, b = replicas
    mine, theirs = f"rep-{new_mission_id().lower()}", f"rep-{new_mission_id().lower()}"
    created = admin_request(a, "sandboxes", {"name": mine})
    assert created.status_code == 201, created.text
    assert admin_request(b, "sandboxes", {"name": theirs}).status_code == 201
    for replica in replicas:
        names = [s["name"] for s in admin_get(replica, "sandboxes")["sandboxes"]]
        assert {mine, theirs} <= set(names), (replica.name, names)

    ticket = linear_ticket(a, WEB_TICKETS[2])
    mission = new_mission_id()
    with client() as http:
        bound = bind(http, b, bind_body(mission, ticket), f"sbx-{mission}", sandbox=mine)
        assert bound.status_code == 200, bound.text
        link_id = bound.json()["origin_link_id"]
        # Seen in `mine` through a; not in the default state nor in `theirs`, on either.
        assert [x["origin_link_id"] for x in origin_links(a, sandbox=mine)] == [link_id]
        for replica in replicas:
            assert mission not in {x["mission_id"] for x in origin_links(replica)}
            assert origin_links(replica, sandbox=theirs) == []
        # A fault of `mine`, set through a, answers in `mine` on b and nowhere else.
        assert admin_request(a, "faults", {"outage": {"count": 5}}, sandbox=mine).status_code == 201
        read = {**ALICE, SANDBOX: mine}
        assert http.get(f"{b.url}{origin_path(mission)}", headers=read).status_code == 503
        for replica in replicas:
            assert admin_get(replica, "faults")["faults"] == []
            assert admin_get(replica, "faults", sandbox=theirs)["faults"] == []

    # Idle for longer than the TTL: gone on both replicas (listing does not use a sandbox).
    expired: dict[str, list[str]] = {}
    for _ in range(int((SANDBOX_TTL_S + BOUND_S) / 0.25)):
        expired = {
            r.name: [s["name"] for s in admin_get(r, "sandboxes")["sandboxes"]] for r in replicas
        }
        if not any(mine in names for names in expired.values()):
            break
        threading.Event().wait(0.25)
    assert not any(mine in names for names in expired.values()), expired
    # Named again, it is a new sandbox seeded from the fixtures: the link and fault are gone.
    for replica in (b, a):
        assert origin_links(replica, sandbox=mine) == []
        assert admin_get(replica, "faults", sandbox=mine)["faults"] == []


def test_a_ticket_changed_through_one_replica_is_what_the_other_serves(
    replicas: ReplicaSet,
) -> None:
    a, b = replicas
    edited, deleted = WEB_TICKETS[8], WEB_TICKETS[9]
    word = f"replicated{new_mission_id().lower()[-8:]}"
    title = f"Agree on {word} across replicas"
    changed = admin_request(
        a,
        f"ticket?provider=linear&ticket={edited}",
        {"title": title, "status_category": "done"},
        method="PATCH",
    )
    assert changed.status_code == 200, changed.text
    gone = admin_request(b, f"ticket?provider=linear&ticket={deleted}", method="DELETE")
    assert gone.status_code == 200, gone.text
    try:
        for replica in replicas:
            ticket = linear_ticket(replica, edited)
            assert (ticket["title"], ticket["status_category"]) == (title, "done"), replica.name
            assert linear_ticket(replica, deleted)["deleted"] is True, replica.name
        with client() as http:
            search = {"provider": "linear", "project_slug": "acme-web", "query_text": word}
            for replica in replicas:
                found = http.post(f"{replica.url}{SEARCH}", json=search, headers=ALICE)
                assert found.status_code == 200, found.text
                keys = [c["external_issue_key"] for c in found.json()["candidates"]]
                assert keys[:1] == [edited], (replica.name, keys)
            # Binds resolve the ticket through the connector: the world both replicas share.
            mission = new_mission_id()
            ticket = linear_ticket(a, edited)
            bound = bind(http, b, bind_body(mission, ticket), f"world-{mission}")
            assert bound.status_code == 200, bound.text
            assert bound.json()["external_title"] == title
            missing = bind(
                http, a, bind_body(new_mission_id(), linear_ticket(b, deleted)), f"world-{word}"
            )
            assert missing.status_code == 404, missing.text
            assert envelope(missing)["error_code"] == "ticket_not_found"
    finally:
        assert admin_request(b, "reset").status_code == 200
    for replica in replicas:
        assert linear_ticket(replica, edited)["title"] != title
        assert linear_ticket(replica, deleted)["deleted"] is False


def test_a_ticket_edited_in_a_sandbox_through_one_replica_is_what_the_other_serves_there(
    replicas: ReplicaSet,
) -> None:
    """A sandbox's world is shared by the replicas like its state: an edit through a is what b
    serves, searches and binds in that sandbox, and nowhere else; a reset through b drops it
    for a; the sandbox deleted and named again starts from the mock's world on both."""
    a, b = replicas
    sandbox = f"rep-{new_mission_id().lower()}"
    edited = WEB_TICKETS[10]
    word = f"sandboxed{new_mission_id().lower()[-8:]}"
    title = f"Only {word} in this sandbox"
    search = {"provider": "linear", "project_slug": "acme-web", "query_text": word}

    def retitle(replica: Replica) -> None:
        changed = admin_request(
            replica,
            f"ticket?provider=linear&ticket={edited}",
            {"title": title},
            method="PATCH",
            sandbox=sandbox,
        )
        assert changed.status_code == 200, changed.text

    def found(replica: Replica, http: httpx.Client, *, in_sandbox: bool) -> list[str]:
        headers = {**ALICE, **({SANDBOX: sandbox} if in_sandbox else {})}
        answer = http.post(f"{replica.url}{SEARCH}", json=search, headers=headers)
        assert answer.status_code == 200, answer.text
        return [c["external_issue_key"] for c in answer.json()["candidates"]]

    with client() as http:
        assert admin_request(a, "sandboxes", {"name": sandbox}).status_code == 201
        # b has served the sandbox from the mock's world before the edit.
        seeded = linear_ticket(b, edited, sandbox=sandbox)["title"]
        assert found(b, http, in_sandbox=True) == []
        retitle(a)
        for replica in (b, a):
            assert linear_ticket(replica, edited, sandbox=sandbox)["title"] == title, replica.name
            assert found(replica, http, in_sandbox=True) == [edited], replica.name
            assert linear_ticket(replica, edited)["title"] == seeded, replica.name
            assert found(replica, http, in_sandbox=False) == [], replica.name
        # A bind through b resolves the ticket in the sandbox's world.
        mission = new_mission_id()
        ticket = linear_ticket(a, edited, sandbox=sandbox)
        bound = bind(http, b, bind_body(mission, ticket), f"sbx-{mission}", sandbox=sandbox)
        assert bound.status_code == 200, bound.text
        assert bound.json()["external_title"] == title

        reset = admin_request(b, "reset", sandbox=sandbox)
        assert reset.json() == {"reset": True, "sandbox": sandbox}
        assert linear_ticket(a, edited, sandbox=sandbox)["title"] == seeded
        assert found(a, http, in_sandbox=True) == []

        # Edited again, then deleted through b and named again through a: the mock's world.
        retitle(b)
        assert linear_ticket(a, edited, sandbox=sandbox)["title"] == title
        gone = admin_request(b, f"sandboxes/{sandbox}", method="DELETE")
        assert gone.status_code == 200, gone.text
        assert admin_request(a, "sandboxes", {"name": sandbox}).status_code == 201
        for replica in (a, b):
            assert linear_ticket(replica, edited, sandbox=sandbox)["title"] == seeded, replica.name
            assert found(replica, http, in_sandbox=True) == [], replica.name


def test_reset_and_snapshot_restore_hold_for_every_replica(replicas: ReplicaSet) -> None:
    a, b = replicas
    assert admin_request(a, "reset").json() == {"reset": True, "sandbox": None}
    kept, dropped, later = new_mission_id(), new_mission_id(), new_mission_id()
    t1, t2, t3 = (linear_ticket(a, key) for key in WEB_TICKETS[3:6])
    snapshot = f"rep-{new_mission_id().lower()}"
    with client() as http:

        def origin(replica: Replica, mission: str) -> httpx.Response:
            return http.get(f"{replica.url}{origin_path(mission)}", headers=ALICE)

        assert bind(http, a, bind_body(kept, t1), f"snap-{kept}").status_code == 200
        saved = admin_request(b, f"snapshots/{snapshot}", method="PUT")
        assert saved.status_code == 201, saved.text
        assert bind(http, b, bind_body(dropped, t2), f"snap-{dropped}").status_code == 200
        assert origin(a, dropped).status_code == 200  # a has read it: any memo of it is warm

        restored = admin_request(b, f"snapshots/{snapshot}/restore")
        assert restored.status_code == 200, restored.text
        for replica in (a, b):
            assert {x["mission_id"] for x in origin_links(replica)} == {kept}
            assert origin(replica, kept).status_code == 200
            gone = origin(replica, dropped)
            assert gone.status_code == 404, (replica.name, gone.text)
            assert envelope(gone)["error_code"] == "origin_not_found"
            assert snapshot in {s["name"] for s in admin_get(replica, "snapshots")["snapshots"]}
        # The rule "one origin per mission" reads the restored state on both: `dropped` is free.
        rebound = bind(http, a, bind_body(dropped, t3), f"snap-{dropped}-again")
        assert rebound.status_code == 200, rebound.text
        assert rebound.json()["external_issue_key"] == t3["key"]
        assert bind(http, b, bind_body(later, t1), f"snap-{later}").status_code == 200
        assert origin(b, later).status_code == 200  # b's memo is warm now

        assert admin_request(a, "faults", {"outage": {"count": 1, "operation": "getCurrentUser"}})
        assert admin_request(a, "reset").json() == {"reset": True, "sandbox": None}
        for replica in (b, a):
            assert origin_links(replica) == []
            assert stored_event_ids(replica) == []
            assert admin_get(replica, "faults")["faults"] == []
            for mission in (kept, dropped, later):
                assert origin(replica, mission).status_code == 404
            # Snapshots are kept by a reset.
            assert snapshot in {s["name"] for s in admin_get(replica, "snapshots")["snapshots"]}
