"""A deadline of the mock's own on PostgreSQL calls, for a server that hangs.

`statement_timeout` is enforced by the server, which a hung server (stopped, swapping, wedged
disk) never does: a call would wait on its socket past every client's deadline. Each store
arms the watchdog around a read or a write; one past its time is not cut at once (a snapshot
or a corpus may legitimately run long) but the server is probed with a fresh connection, and
only when that cannot connect either are the late calls' sockets shut, so they fail at once
with the lost-connection error the store already answers as 503.
"""

from __future__ import annotations

import itertools
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

# How long a probe may take to connect before the server counts as hung.
PROBE_CONNECT_SECONDS = 2


@dataclass
class _Armed:
    deadline: float
    raw: Any  # the psycopg connection in use
    url: str


def _probe(url: str) -> bool:
    """Does the server at `url` still accept a connection and answer?"""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=PROBE_CONNECT_SECONDS, autocommit=True) as c:
            c.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def _cut(raw: Any) -> None:
    """Shut the connection's socket: the call waiting on it fails now."""
    try:
        duplicate = socket.socket(fileno=os.dup(raw.fileno()))
    except Exception:  # already closed
        return
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        duplicate.close()


class Watchdog:
    """One per process; a daemon thread that sleeps until the nearest armed deadline."""

    def __init__(
        self,
        *,
        probe: Callable[[str], bool] = _probe,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._probe = probe
        self._clock = clock
        self._armed: dict[int, _Armed] = {}
        self._tokens = itertools.count()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    @contextmanager
    def watching(self, raw: Any, url: str, seconds: float | None) -> Iterator[None]:
        """While the block runs on `raw`, a server hung longer than `seconds` gets it cut."""
        if seconds is None:
            yield
            return
        token = next(self._tokens)
        with self._changed:
            self._armed[token] = _Armed(self._clock() + seconds, raw, url)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="kitty-postgres-watchdog", daemon=True
                )
                self._thread.start()
            self._changed.notify()
        try:
            yield
        finally:
            with self._changed:
                self._armed.pop(token, None)

    def _run(self) -> None:
        while True:
            with self._changed:
                now = self._clock()
                late = {t: a for t, a in self._armed.items() if a.deadline <= now}
                if not late:
                    nearest = min((a.deadline for a in self._armed.values()), default=None)
                    self._changed.wait(None if nearest is None else nearest - now)
                    continue
            self.check(late)

    def check(self, late: dict[int, _Armed]) -> None:
        """Probe each server with late calls once: cut them if it is hung, else look again
        after as long again."""
        for url in {armed.url for armed in late.values()}:
            hung = not self._probe(url)
            with self._changed:
                for token, armed in late.items():
                    if armed.url != url or token not in self._armed:
                        continue
                    if hung:
                        del self._armed[token]
                        _cut(armed.raw)
                    else:
                        armed.deadline = self._clock() + PROBE_CONNECT_SECONDS


WATCHDOG = Watchdog()
