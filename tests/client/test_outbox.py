"""The durable outbox: survives kills, outages and lost answers; zero loss, no double delivery."""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os
import signal
import sqlite3
from contextlib import closing
from multiprocessing.connection import Connection
from pathlib import Path

import httpx
import pytest
from kitty_contracts import EventEnvelope, MissionMeta
from kitty_origin import EventOutbox, InvalidRequestError, build_mission_origin_bound, flush_outbox

from tests.client.fakes import FakeClock, FakeSaaS, make_client
from tests.client.test_meta_store import META, TICKET


def event() -> EventEnvelope:
    return build_mission_origin_bound(MissionMeta.model_validate(META), TICKET)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def outbox(tmp_path: Path, clock: FakeClock) -> EventOutbox:
    return EventOutbox(tmp_path / "outbox.sqlite3", clock=clock.wall)


def test_outbox_is_wal_with_full_sync(outbox: EventOutbox) -> None:
    db = sqlite3.connect(outbox.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert outbox._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_enqueue_is_idempotent_by_event_id(outbox: EventOutbox) -> None:
    one = event()
    outbox.enqueue(one)
    outbox.enqueue(one)
    assert outbox.counts()["pending"] == 1


def _enqueue_then_hang(path: str, conn: Connection) -> None:
    box = EventOutbox(Path(path))
    conn.send([box.enqueue(event()) for _ in range(5)])
    signal.pause()


def test_enqueued_events_survive_a_kill_and_are_flushed_after_reopen(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    parent, child_end = multiprocessing.get_context("fork").Pipe()
    child = multiprocessing.get_context("fork").Process(
        target=_enqueue_then_hang, args=(str(path), child_end)
    )
    child.start()
    ids = parent.recv()
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    saas = FakeSaaS()
    with EventOutbox(path) as reopened:
        result = flush_outbox(reopened, make_client(saas))
        assert all(reopened.state_of(i) == "delivered" for i in ids)
    assert (result.delivered, result.pending) == (5, 0)
    assert set(saas.events) == set(ids)


def test_outage_then_recovery_loses_nothing_and_delivers_once_nfr_004(
    outbox: EventOutbox, clock: FakeClock
) -> None:
    ids = [outbox.enqueue(event()) for _ in range(30)]
    saas = FakeSaaS(down=True)
    client = make_client(saas, clock)
    for _ in range(4):
        clock.sleep(600)
        down = flush_outbox(outbox, client, batch_size=10, random=lambda: 0.0)
        assert (down.delivered, down.pending) == (0, 30)
        assert down.stopped_reason is not None
    assert flush_outbox(outbox, client).batches == 0, "backoff: nothing due right away"
    saas.down = False
    clock.sleep(600)
    up = flush_outbox(outbox, client, batch_size=10)
    assert (up.delivered, up.pending, up.batches) == (30, 0, 3)
    assert sorted(saas.events) == sorted(ids)
    delivered = [i for post in saas.event_posts for i in post]
    assert len(delivered) == len(set(delivered)) == 30, "no event sent twice after acceptance"


def test_lost_answer_is_resent_and_deduplicated_by_the_server(
    outbox: EventOutbox, clock: FakeClock
) -> None:
    ids = [outbox.enqueue(event()) for _ in range(3)]
    saas = FakeSaaS()

    def stored_then_lost(request: httpx.Request) -> httpx.Response:
        saas.forward(request)
        raise httpx.ReadTimeout("answer lost", request=request)

    saas.script = [stored_then_lost]
    client = make_client(saas, clock, max_retries=0)
    first = flush_outbox(outbox, client)
    assert first.pending == 3
    clock.sleep(600)
    second = flush_outbox(outbox, client)
    assert (second.duplicates, second.pending) == (3, 0)
    assert sorted(saas.events) == sorted(ids), "one copy each in the server's store"


def test_rejected_events_are_kept_aside_with_the_reason(outbox: EventOutbox) -> None:
    good, bad = outbox.enqueue(event()), outbox.enqueue(event())

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"results": [
            {"event_id": good, "status": "accepted"},
            {"event_id": bad, "status": "rejected", "error": "payload breaks schema",
             "error_category": "validation"},
        ]})  # fmt: skip

    result = flush_outbox(outbox, make_client(FakeSaaS(script=[answer])))
    assert (result.delivered, result.rejected, result.pending) == (1, 1, 0)
    [kept] = outbox.rejected()
    assert (kept.event_id, kept.reason, kept.error_category) == (
        bad,
        "payload breaks schema",
        "validation",
    )


def test_missing_result_is_retried_later(outbox: EventOutbox, clock: FakeClock) -> None:
    first, second = outbox.enqueue(event()), outbox.enqueue(event())
    partial = httpx.Response(200, json={"results": [{"event_id": first, "status": "accepted"}]})
    saas = FakeSaaS(script=[partial])
    client = make_client(saas, clock)
    result = flush_outbox(outbox, client)
    assert (result.delivered, result.retried, result.pending) == (1, 1, 1)
    clock.sleep(600)
    assert flush_outbox(outbox, client).delivered == 1
    assert outbox.state_of(second) == "delivered"


def test_payload_too_large_splits_the_batch(outbox: EventOutbox) -> None:
    ids = [outbox.enqueue(event()) for _ in range(4)]
    too_large = httpx.Response(413, json={"error_code": "payload_too_large", "message": "split",
                                          "retryable": False, "user_action_required": False})  # fmt: skip
    saas = FakeSaaS(script=[too_large])
    result = flush_outbox(outbox, make_client(saas), batch_size=4)
    assert result.delivered == 4
    assert [len(post) for post in saas.event_posts] == [2, 2]
    assert sorted(saas.events) == sorted(ids)


def test_a_refused_batch_is_bisected_to_isolate_the_bad_event(outbox: EventOutbox) -> None:
    ids = [outbox.enqueue(event()) for _ in range(4)]
    bad = ids[3]
    saas = FakeSaaS()

    def refuse_bad(request: httpx.Request) -> httpx.Response:
        sent = [e["event_id"] for e in json.loads(gzip.decompress(request.content))["events"]]
        if bad in sent:
            return httpx.Response(400, json={"error_code": "malformed_request", "message": "bad",
                                             "retryable": False, "user_action_required": False})  # fmt: skip
        return saas.forward(request)

    saas.script = [refuse_bad] * 10
    result = flush_outbox(outbox, make_client(saas), batch_size=4)
    assert (result.delivered, result.rejected, result.pending) == (3, 1, 0)
    assert outbox.state_of(bad) == "rejected"


def deep_event(depth: int = 250) -> EventEnvelope:
    """Valid as a Python object, but its JSON nests deeper than a reader accepts."""
    raw = event().model_dump(mode="json")
    nested: object = 1
    for _ in range(depth):
        nested = [nested]
    raw["payload"]["extra"] = nested
    return EventEnvelope.model_validate(raw)


def test_an_event_that_could_not_be_read_back_is_refused_at_enqueue_issue_10(
    outbox: EventOutbox,
) -> None:
    with pytest.raises(InvalidRequestError, match="cannot be queued"):
        outbox.enqueue(deep_event())
    assert sum(outbox.counts().values()) == 0


def test_poison_rows_are_quarantined_and_every_other_event_is_delivered_issue_10(
    outbox: EventOutbox, clock: FakeClock
) -> None:
    saas = FakeSaaS()
    good = [outbox.enqueue(event()) for _ in range(5)]
    # Rows an older writer (or a damaged file) left: not an envelope, and one nested too deep.
    poison = {"evt-not-an-envelope": '{"not": "an envelope"}'}
    deep = deep_event()
    poison[deep.event_id] = json.dumps(deep.model_dump(mode="json"))
    for event_id, text in poison.items():
        outbox._db.execute(
            "INSERT INTO outbox_events (event_id, event_type, envelope, enqueued_at)"
            " VALUES (?, 'MissionOriginBound', ?, 0)",
            (event_id, text),
        )
    good += [outbox.enqueue(event()) for _ in range(5)]

    result = flush_outbox(outbox, make_client(saas, clock))

    assert (result.delivered, result.pending) == (10, 0)
    assert set(saas.events) == set(good)
    assert {q.event_id for q in result.quarantined} == set(poison)
    assert all(q.reason and "read back" in q.reason for q in result.quarantined)
    assert {q.event_id: q.error_category for q in outbox.quarantined()} == dict.fromkeys(
        poison, "unreadable"
    )


def _traced(outbox: EventOutbox) -> list[str]:
    statements: list[str] = []
    outbox._db.set_trace_callback(statements.append)
    return statements


def test_reopening_the_outbox_runs_no_schema_script_and_no_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    with EventOutbox(path) as first:
        statements = _traced(first)
    with EventOutbox(path) as again:
        queued = again.enqueue(event())
    again._db.set_trace_callback(None)
    # Only the durable insert: no CREATE, no pragma, no close (whose checkpoint fsyncs).
    assert [s.split()[0] for s in statements] == ["BEGIN", "INSERT", "COMMIT"]
    with closing(sqlite3.connect(path)) as other:  # committed, visible to any other reader
        assert other.execute("SELECT event_id FROM outbox_events").fetchall() == [(queued,)]


def test_an_outbox_file_deleted_between_opens_is_created_afresh(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    with EventOutbox(path) as first:
        first.enqueue(event())
    for leftover in tmp_path.glob("outbox.sqlite3*"):
        leftover.unlink()
    with EventOutbox(path) as fresh:
        queued = fresh.enqueue(event())
        assert fresh.counts()["pending"] == 1
    with closing(sqlite3.connect(path)) as other:
        assert other.execute("SELECT event_id FROM outbox_events").fetchall() == [(queued,)]


def test_an_outbox_from_before_the_schema_version_gets_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    with closing(sqlite3.connect(path)) as old:  # an older file: a table, no user_version
        old.execute("CREATE TABLE unrelated (x)")
    with EventOutbox(path) as outbox:
        outbox.enqueue(event())
        assert outbox.counts()["pending"] == 1
        assert outbox._db.execute("PRAGMA user_version").fetchone()[0] >= 1
