"""Two replicas under load while their database restarts, crashes or hangs, or while one of
them is killed.

A bounded load of binds, origin reads, searches and events runs over both replicas. While the
database is away the replicas may only refuse with the contract's 503 `service_unavailable`,
`effect_certainty: no_effect` (`unknown` only for a write whose commit was cut), within the
client's per-attempt timeout; once it is back they answer again by themselves (same PIDs).
Afterwards every acknowledged write is in the database and no refused one is: each is counted.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from bench.replicas import Replica, ReplicaSet
from bench.throwaway_postgres import ThrowawayPostgres
from tests.postgres_server import frozen
from tests.replicas.calls import (
    ALICE,
    BIND,
    TIMEOUT,
    WEB_TICKETS,
    admin_request,
    client,
    linear_ticket,
    origin_links,
    stored_event_ids,
    unavailable_effect,
)
from tests.replicas.load import Load, Sent

pytestmark = pytest.mark.slow
BOUND_S = 60.0  # the longest any one wait for the load may take
BEFORE, DURING, AFTER = 20, 8, 30  # answers of each kind to see before, during, after a fault
REPLAYED = "Idempotency-Replayed"
BURST = 16  # binds sent at once to a replica about to be killed


WRITES = ("bind", "event")


@pytest.fixture(scope="module")
def database_server(postgres_server: ThrowawayPostgres) -> Iterator[ThrowawayPostgres]:
    """A server of this module's own: its tests stop, crash and freeze it, which would cut the
    connections that other modules' session fixtures keep to the shared one. (`postgres_server`
    is asked for its binaries, and for its skip or failure where there are none.)"""
    with ThrowawayPostgres(postgres_server.binaries) as server:
        yield server


def unexpected(answers: list[Sent], *, down: Replica | None = None) -> list[Sent]:
    """Answers that are neither a 2xx (a 404 for a read of a mission not bound yet) nor the
    contract's 503 `no_effect` (`unknown` for a write whose commit the database cut); transport
    errors count only from the replica `down`."""
    wrong = []
    for sent in answers:
        if sent.status is None:
            if down is None or sent.replica != down.name:
                wrong.append(sent)
        elif sent.status >= 300:
            effect = unavailable_effect(sent.status, sent.answer)
            allowed = effect == "no_effect" or (effect == "unknown" and sent.operation in WRITES)
            not_bound_yet = sent.operation == "read" and sent.status == 404
            if not (allowed or not_bound_yet):
                wrong.append(sent)
    return wrong


def stored_links(replicas: ReplicaSet) -> dict[str, dict[str, Any]]:
    """The origin links by mission, the same through every replica."""
    seen = [{x["mission_id"]: x for x in origin_links(replica)} for replica in replicas]
    assert all(links == seen[0] for links in seen), "the replicas disagree on the links"
    return seen[0]


def assert_acknowledged_writes_stored(replicas: ReplicaSet, answers: list[Sent]) -> Counter[str]:
    """Every 2xx bind and accepted event is stored; no bind or event refused with 503 no_effect
    is. Returns the counts (`unknown`: a 503 whose write may or may not have committed)."""
    links = stored_links(replicas)
    events = set(stored_event_ids(replicas[0]))
    counts: Counter[str] = Counter()
    for sent in answers:
        if sent.operation not in WRITES or sent.status is None:
            continue
        assert sent.answer is not None
        if unavailable_effect(sent.status, sent.answer) == "unknown":
            counts[f"{sent.operation} unknown"] += 1
        elif sent.status == 200 and sent.operation == "bind":
            counts["bind acknowledged"] += 1
            assert sent.subject in links, f"acknowledged bind lost: {sent}"
            assert links[sent.subject]["origin_link_id"] == sent.answer["origin_link_id"]
        elif sent.status == 200:
            [result] = sent.answer["results"]
            assert result["status"] == "accepted", sent
            counts["event acknowledged"] += 1
            assert sent.subject in events, f"acknowledged event lost: {sent}"
        elif sent.operation == "bind":
            counts["bind refused"] += 1
            assert sent.subject not in links, f"a bind refused with no_effect was stored: {sent}"
        else:
            counts["event refused"] += 1
            assert sent.subject not in events, f"an event refused with no_effect was stored: {sent}"
    return counts


def rebind(http: httpx.Client, replica: Replica, sent: Sent) -> httpx.Response:
    """The same bind again, with its Idempotency-Key, as the client's retry sends it."""
    headers = {**ALICE, "Idempotency-Key": sent.key}
    return http.post(f"{replica.url}{BIND}", json=sent.body, headers=headers)


@pytest.mark.parametrize("outage", ["restart", "crash"])
def test_the_database_restarting_under_load_costs_only_retryable_503s(
    replicas: ReplicaSet, database_server: ThrowawayPostgres, outage: str
) -> None:
    a, b = replicas
    assert admin_request(a, "reset").status_code == 200
    pids = [replica.pid for replica in replicas]
    with Load(replicas, linear_ticket(a, WEB_TICKETS[6])) as load:
        load.wait_for("ok", BEFORE, BOUND_S)
        # Fast shutdown (sessions ended, data flushed) or SIGKILL (crash recovery at the next
        # start), while binds are running on both replicas.
        cut = database_server.stop if outage == "restart" else database_server.kill
        cut_mid_burst(load, list(replicas), cut)
        load.wait_for("503", DURING, BOUND_S)
        database_server.start()
        load.wait_for("ok", AFTER, BOUND_S)
    assert [replica.pid for replica in replicas] == pids, "a replica was restarted"
    answers = load.answers
    assert unexpected(answers) == []
    refusals = Counter(s.replica for s in answers if s.status == 503)
    assert set(refusals) == {a.name, b.name}, refusals  # both saw the database go
    # Both answer again, every kind of request, after the database came back.
    last = {(s.replica, s.operation) for s in answers[-AFTER:] if s.status == 200}
    assert {r for r, _ in last} == {a.name, b.name}, last

    counts = assert_acknowledged_writes_stored(replicas, answers)
    assert counts["bind acknowledged"] > 0
    assert counts["bind refused"] + counts["event refused"] > 0
    # A refused bind retried with its key now binds: it had left nothing behind. One whose
    # effect was unknown ends as one link either way.
    with client() as http:
        for sent in (s for s in answers if s.operation == "bind" and s.status == 503):
            again = rebind(http, b if sent.replica == a.name else a, sent)
            assert again.status_code == 200, again.text
            if unavailable_effect(sent.status, sent.answer) == "no_effect":
                assert REPLAYED not in again.headers
                assert again.json()["outcome"] == "created"
    links = stored_links(replicas)
    assert all(s.subject in links for s in answers if s.operation == "bind" and s.status == 503)


def test_a_hung_database_costs_503s_within_the_clients_timeout(
    replicas: ReplicaSet, database_server: ThrowawayPostgres
) -> None:
    a, b = replicas
    assert admin_request(a, "reset").status_code == 200
    pids = [replica.pid for replica in replicas]
    with Load(replicas, linear_ticket(a, WEB_TICKETS[8])) as load:
        load.wait_for("ok", BEFORE, BOUND_S)
        with frozen(database_server):
            # Longer than this, and every request in flight has met the client's timeout.
            load.wait_for("503", DURING, (TIMEOUT.read or BOUND_S) + 2.0)
        load.wait_for("ok", AFTER, BOUND_S)
    assert [replica.pid for replica in replicas] == pids, "a replica was restarted"
    answers = load.answers
    assert unexpected(answers) == []
    last = {s.replica for s in answers[-AFTER:] if s.status == 200}
    assert last == {a.name, b.name}, last
    assert_acknowledged_writes_stored(replicas, answers)


def cut_mid_burst(load: Load, targets: list[Replica], cut: Callable[[], None]) -> None:
    """A burst of binds spread over `targets`, and `cut()` as soon as the first is answered: the
    others are queued, running or committing when it strikes."""
    first = threading.Event()
    start = threading.Barrier(BURST)

    def one(http: httpx.Client, replica: Replica) -> None:
        start.wait(BOUND_S)
        load.send(http, replica, "bind")
        first.set()

    with client() as http, ThreadPoolExecutor(BURST) as pool:
        sent = [pool.submit(one, http, targets[n % len(targets)]) for n in range(BURST)]
        assert first.wait(BOUND_S)
        cut()
        for future in sent:
            future.result(BOUND_S)


def test_a_replica_killed_under_load_loses_no_acknowledged_write(replicas: ReplicaSet) -> None:
    a, b = replicas
    assert admin_request(b, "reset").status_code == 200
    with Load(replicas, linear_ticket(b, WEB_TICKETS[7])) as load:
        load.wait_for("ok", BEFORE, BOUND_S)
        cut_mid_burst(load, [a], a.kill)  # SIGKILL: requests in flight on a get no answer
        load.wait_for("error", DURING, BOUND_S)
        load.wait_for("ok", BEFORE, BOUND_S)  # b goes on alone
        a.start()  # the same port, as the host coming back
        load.wait_for("ok", AFTER, BOUND_S)
    answers = load.answers
    assert unexpected(answers, down=a) == []
    assert any(s.status is None for s in answers if s.replica == a.name)
    assert a.name in {s.replica for s in answers[-AFTER:] if s.status == 200}  # a is back
    counts = assert_acknowledged_writes_stored(replicas, answers)
    assert counts["bind acknowledged"] > 0
    # A bind that got no answer may or may not have been stored; retried with its key through
    # b it ends as one link either way (a replay when a had stored it).
    unanswered = [s for s in answers if s.operation == "bind" and s.status is None]
    with client() as http:
        for sent in unanswered:
            again = rebind(http, b, sent)
            assert again.status_code == 200, again.text
    links = stored_links(replicas)
    assert all(sent.subject in links for sent in unanswered)
    missions = Counter(x["mission_id"] for x in origin_links(a))
    assert max(missions.values()) == 1
