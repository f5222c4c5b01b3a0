"""A deadline of the store's own for a PostgreSQL server that hangs rather than refuses.

`statement_timeout` is the server's to enforce, which a hung server (stopped, swapping, on a wedged
disk or a dropped network path) never does: a call would wait on its socket past every client's
deadline. So each wait for an answer is psycopg's own wait, run by the thread that made the call
and woken by psycopg every tenth of a second to check a deadline on the wall clock. After `stall_timeout` seconds without an answer, that thread asks the server over a
fresh connection whether it is still working on this connection's statement: if so it waits on (a
long copy, a wait for the store's lock: the server's own timeouts end those); if the server does
not answer within the connect timeout, or has nothing running for this connection, the thread
closes its own connection and the call fails with `NoAnswer`. No thread touches another's socket.

Imported only once psycopg is known to be installed (an optional extra).
"""

from __future__ import annotations

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


class DeadlineConnection(psycopg.Connection[Any]):
    """A psycopg connection whose every wait for the server gives up on a hung server.

    `stall_timeout` None: psycopg's plain waits. `still_working(conn)`: asked after each stall,
    true to wait another `stall_timeout` (the server is busy with this connection's statement).
    """

    stall_timeout: float | None = None
    still_working: Callable[[DeadlineConnection], bool] | None = None

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
        try:
            waiting_for = next(gen)
            while True:
                ready = yield waiting_for
                if not ready and time.monotonic() >= deadline:
                    if self.still_working is None or not self.still_working(self):
                        raise NoAnswer(f"the database did not answer within {stall:g} s")
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
    still_working: Callable[[DeadlineConnection], bool] | None,
) -> DeadlineConnection:
    """A connection in autocommit mode whose waits follow `stall_timeout` / `still_working`."""
    raw = DeadlineConnection.connect(
        url,
        autocommit=True,
        # psycopg enforces it on the wall clock, with libpq's minimum of 2 s.
        connect_timeout=max(1, int(connect_timeout)),
        options=options,
    )
    raw.stall_timeout = stall_timeout
    raw.still_working = still_working
    return raw


def busy_with(raw: DeadlineConnection, url: str, *, connect_timeout: float) -> bool:
    """Is the server working on a statement of `raw` (asked over a fresh connection, itself
    held to `connect_timeout` for every answer)? Raises `psycopg.OperationalError` when the
    server cannot be reached or does not answer."""
    backend = raw.pgconn.backend_pid
    with connect(
        url,
        connect_timeout=connect_timeout,
        options="",
        stall_timeout=max(2.0, connect_timeout),
        still_working=None,
    ) as probe:
        row = probe.execute(PROBE_SQL, (backend,)).fetchone()
    return row is not None and row[0] == "active"
