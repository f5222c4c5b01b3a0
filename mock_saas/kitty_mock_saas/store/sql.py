"""The shapes every store backend gives its callers.

`Connection` is what a read or write block receives: `execute` with `?` (positional) or `:name`
(named) placeholders, rows that index by position and by column name (`sqlite3.Row` does; the
PostgreSQL adapter gives the same). A `Store` hands out such connections: `write()` is one
transaction serialized with every other writer of the store (across processes and replicas),
`read()` sees committed data, `memo()` remembers a read until the store changes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

from .dialect import Dialect

T = TypeVar("T")


class StoreUnavailable(RuntimeError):
    """The database could not be reached (down, restarting, refused): nothing was written.

    The API answers it with the contract's 503 and `effect_certainty: no_effect`; the store
    reconnects by itself on a later call. `effect_unknown`: the connection was lost while
    committing, so the write may have been stored (the API says `effect_certainty: unknown`).
    """

    effect_unknown: bool = False


class Row(Protocol):
    def __getitem__(self, key: int | str, /) -> Any: ...

    def keys(self) -> list[str]: ...


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...

    def executemany(self, sql: str, parameters: Any, /) -> Any: ...


class Store(Protocol):
    """One store (the state, a sandbox's state, the tracker world) on one backend."""

    @property
    def dialect(self) -> Dialect: ...

    def write(self) -> AbstractContextManager[Any]: ...

    def read(self) -> AbstractContextManager[Any]: ...

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T: ...

    def close(self) -> None: ...
