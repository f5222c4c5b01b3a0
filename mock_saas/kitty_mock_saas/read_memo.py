"""Reads of one SQLite connection, remembered until the database changes.

A change is a commit through the owner (`committed()`, counted here) or by any other connection
or worker process (`PRAGMA data_version`, which only counts others). On a WAL file that pragma
costs about as much as the small reads it guards (~5 us, it opens a read snapshot), and one search
makes a dozen such reads, so inside `request_scope()` (the mock's observer opens one per request)
it is asked once per database: the request sees each database as it was when it first looked, plus
its own process's commits. Outside a scope (tests, tools) every read asks.

The owner holds its own lock around `get`; values are shared, so callers must not mutate them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")
# Keys come from requests (tokens, slugs): bounded, so made-up ones cannot pile up.
_LIMIT = 4096
# Per request: the data_version each memo saw first (the context follows the request's task).
_SEEN: ContextVar[dict[ReadMemo, int] | None] = ContextVar("kitty_read_memo_seen", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """Within this block, each memo asks SQLite for other connections' changes once."""
    token = _SEEN.set({})
    try:
        yield
    finally:
        _SEEN.reset(token)


class ReadMemo:
    """Remembered values of one connection; `data_version` runs `PRAGMA data_version` on it."""

    def __init__(self, data_version: Callable[[], int]) -> None:
        self._data_version = data_version
        self._commits = 0
        self._values: dict[Hashable, Any] = {}
        self._version: tuple[int, int] | None = None

    def committed(self) -> None:
        """The owner committed or rolled back a write: everything remembered may be stale."""
        self._commits += 1

    def data_version(self) -> int:
        """SQLite's count of other connections' commits (asked once per request in a scope)."""
        seen = _SEEN.get()
        if seen is None:
            return self._data_version()
        others = seen.get(self, -1)
        if others < 0:
            others = seen[self] = self._data_version()
        return others

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` (a read), or what it returned since the database last changed."""
        version = (self._commits, self.data_version())
        if version != self._version or len(self._values) >= _LIMIT:
            self._values.clear()
            self._version = version
        if key not in self._values:
            self._values[key] = compute()
        value: T = self._values[key]
        return value
