"""A bounded load of reads and writes spread over replicas, every answer recorded.

`Load` runs `threads` client threads; each turns round the replicas and through a fixed mix of
operations (bind a new mission, read a bound mission's origin, search, send an event), pausing
`pause_s` between requests, until it is stopped or the load has sent `max_requests`. Nothing is
retried: each request ends as an answer or a transport error (the SDK's per-attempt timeouts
apply), and `answers` keeps them all, so a test can count what was acknowledged and what was
refused.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.replicas import Replica, bind_body
from tests.replicas.calls import (
    ALICE,
    BIND,
    EVENTS,
    SEARCH,
    client,
    new_mission_id,
    origin_event,
)

OPERATIONS = ("bind", "read", "search", "event")
SEARCH_BODY = {"provider": "linear", "project_slug": "acme-web", "query_text": "Clerk auth"}
STOP_WAIT_S = 60.0


@dataclass
class Sent:
    """One request of the load and how it ended."""

    operation: str
    replica: str
    # The mission of a bind or read, the event id of an event, "" for a search.
    subject: str
    key: str = ""
    body: dict[str, Any] = field(default_factory=dict)
    status: int | None = None  # None: no answer (transport error)
    answer: dict[str, Any] | None = None
    error: str = ""


class Load:
    """See the module docstring. `ticket` is the one every bind and event names."""

    def __init__(
        self,
        replicas: Iterable[Replica],
        ticket: dict[str, Any],
        *,
        threads: int = 4,
        max_requests: int = 1000,
        pause_s: float = 0.05,
    ) -> None:
        self.replicas = list(replicas)
        self.ticket = ticket
        self.max_requests = max_requests
        self.pause_s = pause_s
        self.answers: list[Sent] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._progress = threading.Condition(self._lock)
        self._bound: list[str] = []  # missions whose bind was acknowledged, for reads
        self._threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)
        ]

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop sending and wait for the requests in flight to end."""
        self._stop.set()
        for thread in self._threads:
            thread.join(STOP_WAIT_S)
            assert not thread.is_alive(), "a load thread did not end"

    def wait_for(self, predicate: str, count: int, timeout: float) -> None:
        """Wait until `count` more answers satisfy `predicate` ("ok": 2xx, "503": a 503,
        "error": a transport error), at most `timeout` seconds."""
        tests: dict[str, Callable[[Sent], bool]] = {
            "ok": lambda s: s.status is not None and s.status < 300,
            "503": lambda s: s.status == 503,
            "error": lambda s: s.status is None,
        }
        test = tests[predicate]

        def seen() -> int:
            return sum(1 for s in self.answers if test(s))

        with self._progress:
            target = seen() + count
            self._progress.wait_for(
                lambda: seen() >= target or len(self.answers) >= self.max_requests, timeout
            )
            reached = seen() >= target
        assert reached, f"the load saw fewer than {count} more {predicate!r} answers"

    def _run(self, n: int) -> None:
        # Every (replica, operation) pair in turn, each thread from its own place in the round.
        pairs = list(itertools.product(self.replicas, OPERATIONS))
        offset = n * len(pairs) // len(self._threads)
        turns = itertools.cycle(pairs[offset:] + pairs[:offset])
        with client() as http:
            while not self._stop.is_set():
                with self._lock:
                    if len(self.answers) >= self.max_requests:
                        return
                self.send(http, *next(turns))
                self._stop.wait(self.pause_s)

    def send(self, http: httpx.Client, replica: Replica, operation: str) -> Sent:
        """One request of the load's mix, sent now and kept in `answers` (a test may add its
        own, e.g. a burst at one replica)."""
        sent = self._sent(http, replica, operation)
        with self._progress:
            self.answers.append(sent)
            if sent.operation == "bind" and sent.status == 200:
                self._bound.append(sent.subject)
            self._progress.notify_all()
        return sent

    def _sent(self, http: httpx.Client, replica: Replica, operation: str) -> Sent:
        method, path, headers = "POST", BIND, ALICE
        body: dict[str, Any] | None = None
        if operation == "read":
            with self._lock:
                mission = self._bound[-1] if self._bound else new_mission_id()
            sent = Sent("read", replica.name, mission)
            method, path = "GET", f"/api/v1/tracker/missions/{mission}/origin/"
        elif operation == "search":
            sent = Sent("search", replica.name, "")
            path, body = SEARCH, SEARCH_BODY
        elif operation == "event":
            event_id = new_mission_id()
            sent = Sent("event", replica.name, event_id)
            path = EVENTS
            body = {"events": [origin_event(event_id, new_mission_id(), self.ticket)]}
        else:
            mission = new_mission_id()
            body = bind_body(mission, self.ticket)
            sent = Sent("bind", replica.name, mission, key=f"load-{mission}", body=body)
            headers = {**ALICE, "Idempotency-Key": sent.key}
        try:
            answer = http.request(method, f"{replica.url}{path}", json=body, headers=headers)
        except httpx.HTTPError as exc:
            sent.error = repr(exc)
            return sent
        sent.status = answer.status_code
        try:
            sent.answer = answer.json()
        except ValueError:
            sent.answer = {"not_json": answer.text[:500]}
        return sent
