"""A deadline of the store's own for a PostgreSQL server that hangs rather than refuses.

`statement_timeout` is the server's to enforce, which a hung server (stopped, swapping, on a wedged
disk or a dropped network path) never does: a call would wait on its socket past every client's
deadline. So each wait for an answer is psycopg's own wait, run by the thread that made the call
and woken by psycopg every tenth of a second to check a deadline on the wall clock. After
`stall_timeout` seconds without an answer, that thread asks the server over a fresh connection
what it is doing for this connection (`Verdict`). Working on its statement (a long copy, a wait
for the store's lock: the server's own timeouts end those): it waits on. Not answering within the
connect timeout: it closes its own connection and the call fails with `NoAnswer`. Running nothing
for it twice in a row (so the answer was not merely on its way): likewise. No thread touches
another's socket.

Imported only once psycopg is known to be installed (an optional extra).
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Generator
from typing import Any, TypeVar

import psycopg
from psycopg.abc import PQGen

RV = TypeVar("RV")
PROBE_SQL = "SELECT state FROM pg_stat_activity WHERE pid = %s"


class NoAnswer(psycopg.OperationalError):
    """The server did not answer a call in time and is hung, or lost the call: the connection
    was closed by its own thread."""


class Verdict(enum.Enum):
    """What the server is doing for a connection whose call is unanswered."""

    WORKING = "running its statement"
    IDLE = "running nothing for it"
    HUNG = "not answering"


class DeadlineConnection(psycopg.Connection[Any]):
    """A psycopg connection whose every wait for the server gives up on a hung server.

    `stall_timeout` None: psycopg's plain waits. `judge(conn)`: asked after each stall (None:
    the server counts as hung at once).
    """

    stall_timeout: float | None = None
    judge: Callable[[DeadlineConnection], Verdict] | None = None

    def wait(self, gen: PQGen[RV], *args: Any, **kwargs: Any) -> RV:
        # psycopg's own timed waits (a cancel, notifies) keep their timeout.
        if self.stall_timeout is None or kwargs.get("timeout") is not None:
            return super().wait(gen, *args, **kwargs)
        try:
            return super().wait(self._stalling(gen, self.stall_timeout), *args, **kwargs)
        except NoAnswer:
            self.close()
            raise

    def _stalling(self, gen: PQGen[RV], stall: float) -> Generator[Any, Any, RV]:
        """`gen` as psycopg's wait drives it; psycopg's wait wakes it every tenth of a second
        with nothing ready, when it checks the deadline (on the wall clock)."""
        deadline = time.monotonic() + stall
        last: Verdict | None = None
        try:
            waiting_for = next(gen)
            while True:
                ready = yield waiting_for
                if not ready and time.monotonic() >= deadline:
                    verdict = Verdict.HUNG if self.judge is None else self.judge(self)
                    if verdict is Verdict.HUNG or verdict is last is Verdict.IDLE:
                        raise NoAnswer(
                            f"no answer from the database within {stall:g} s: {verdict.value}"
                        )
                    last = verdict
                    deadline = time.monotonic() + stall
                waiting_for = gen.send(ready)
        except StopIteration as done:
            result: RV = done.value
            return result


def connect(
    url: str,
    *,
    connect_timeout: float,
    options: str,
    stall_timeout: float | None,
    judge: Callable[[DeadlineConnection], Verdict] | None,
) -> DeadlineConnection:
    """A connection in autocommit mode whose waits follow `stall_timeout` and `judge`."""
    raw = DeadlineConnection.connect(
        url,
        autocommit=True,
        # psycopg enforces it on the wall clock, with libpq's minimum of 2 s.
        connect_timeout=max(1, int(connect_timeout)),
        options=options,
    )
    raw.stall_timeout = stall_timeout
    raw.judge = judge
    return raw


def probe(raw: DeadlineConnection, url: str, *, connect_timeout: float) -> Verdict:
    """What the server at `url` is doing for `raw`, asked over a fresh connection (itself held
    to `connect_timeout` for every answer)."""
    backend = raw.pgconn.backend_pid
    try:
        with connect(
            url,
            connect_timeout=connect_timeout,
            options="",
            stall_timeout=max(2.0, connect_timeout),
            judge=None,
        ) as fresh:
            row = fresh.execute(PROBE_SQL, (backend,)).fetchone()
    except psycopg.OperationalError:
        return Verdict.HUNG
    return Verdict.WORKING if row is not None and row[0] == "active" else Verdict.IDLE
