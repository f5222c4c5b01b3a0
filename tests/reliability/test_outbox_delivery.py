"""Events queued while the SaaS is down survive a kill -9 and are delivered exactly once.

One event is queued by a bind while the mock is up; the mock stops; a child process queues more
(each enqueue is durable before it prints), tries to flush against the dead SaaS and is killed
with SIGKILL. After a restart of the mock (same state file) a new process flushes. A crash after
delivery but before the outbox recorded it is replayed too: the SaaS answers duplicates and
stores nothing twice.
"""

from __future__ import annotations

import random
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest
from kitty_origin import (
    ClientSettings,
    EventOutbox,
    SaaSTrackerClient,
    StaticTokenProvider,
    search_origin_candidates,
    start_mission_from_ticket,
)
from kitty_origin.origin import OUTBOX_RELATIVE_PATH

from tests.reliability.processes import MockServer, Worker, write_linear_repo

pytestmark = pytest.mark.slow
OFFLINE_EVENTS = 5


def pending(repo: Path, event_ids: set[str]) -> bool:
    """Whether exactly these events are queued, all waiting for delivery."""
    with EventOutbox(repo / OUTBOX_RELATIVE_PATH) as outbox:
        states = {outbox.state_of(event_id) for event_id in event_ids}
        return states == {"pending"} and sum(outbox.counts().values()) == len(event_ids)


def snapshot(source: Path, target: Path) -> None:
    """A consistent copy of an SQLite file (its WAL included)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def test_nfr_events_queued_offline_survive_kill_9_and_are_delivered_once(tmp_path: Path) -> None:
    repo = write_linear_repo(tmp_path / "repo")
    mock = MockServer(tmp_path / "saas.db")
    with mock:
        settings = ClientSettings.from_env(
            env={},
            base_url=mock.url,
            team="acme",
            token_provider=StaticTokenProvider("tok-alice"),
            deliver_after_bind_seconds=0.0,  # this event waits in the outbox with the others
        )
        with SaaSTrackerClient(settings) as client:
            found = search_origin_candidates(repo, query_key="WEB-123", client=client)
            ticket = found.candidates[0]
            started = start_mission_from_ticket(
                repo, ticket, "linear", found.resource_type, found.resource_id, client=client
            )
        assert started.event_emitted
        down_url = mock.url
        mock.stop()

        child = Worker("enqueue", down_url, str(repo), str(OFFLINE_EVENTS))
        try:
            offline = [child.next()["queued"] for _ in range(OFFLINE_EVENTS)]
            time.sleep(random.uniform(0.0, 0.5))  # somewhere in its flush against the dead SaaS
        finally:
            child.kill()
        expected = {started.event_id, *offline}
        assert pending(repo, expected)  # every acknowledged enqueue survived SIGKILL

        mock.start()
        outbox = repo / OUTBOX_RELATIVE_PATH
        before_flush = tmp_path / "outbox-before-flush.sqlite3"
        snapshot(outbox, before_flush)
        flushed = Worker("flush", mock.url, str(repo)).finish()[-1]
        assert flushed == {"pending": 0, "delivered": len(expected), "duplicates": 0, "rejected": 0}
        stored = mock.stored_event_ids()
        assert sorted(stored) == sorted(expected)

        # The crash between the SaaS's answer and the outbox's record: everything is resent.
        snapshot(before_flush, outbox)
        replayed = Worker("flush", mock.url, str(repo)).finish()[-1]
        assert replayed == {
            "pending": 0,
            "delivered": 0,
            "duplicates": len(expected),
            "rejected": 0,
        }
        assert sorted(mock.stored_event_ids()) == sorted(expected)
        with EventOutbox(outbox) as final:
            assert final.counts()["delivered"] == len(expected)
