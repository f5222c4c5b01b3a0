"""The SQLite store's statements and rows on psycopg: `?` / `:name` placeholders translated,
rows that index by position and by name like `sqlite3.Row`, ints and strings typed by the server
from their column as SQLite's affinity does (`PostgresConnection`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, ClassVar


@lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """`sql` with SQLite's `?` / `:name` placeholders as psycopg's `%s` / `%(name)s` (and `%`
    doubled); string literals, quoted names, comments and `::` casts are left alone."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"":
            end = i + 1
            while end < n:
                if sql[end] == c:
                    if end + 1 < n and sql[end + 1] == c:  # a doubled quote inside
                        end += 2
                        continue
                    break
                end += 1
            out.append(sql[i : end + 1].replace("%", "%%"))
            i = end + 1
        elif c == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif c == "?":
            out.append("%s")
            i += 1
        elif c == ":" and sql.startswith("::", i):
            out.append("::")
            i += 2
        elif c == ":" and i + 1 < n and (sql[i + 1].isalpha() or sql[i + 1] == "_"):
            end = i + 1
            while end < n and (sql[end].isalnum() or sql[end] == "_"):
                end += 1
            out.append(f"%({sql[i + 1 : end]})s")
            i = end
        elif c == "%":
            out.append("%%")
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


class PostgresRow(tuple[Any, ...]):
    """A row by position or by column name, like `sqlite3.Row`."""

    __slots__ = ()
    _names: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


@lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type[PostgresRow]:
    attributes = {"__slots__": (), "_names": {name: i for i, name in enumerate(names)}}
    return type("PostgresRow", (PostgresRow,), attributes)


def row_factory(cursor: Any) -> Callable[[Sequence[Any]], PostgresRow]:
    description = cursor.description or ()
    return _row_class(tuple(column.name for column in description))


class PostgresConnection:
    """A psycopg connection that runs the SQLite store's statements."""

    def __init__(self, raw: Any, losses: int = 0) -> None:
        self.raw = raw
        # The server's count of lost connections when this one opened (`ServerHealth`).
        self.losses = losses

    def execute(self, sql: str, parameters: Any = None, /) -> Any:
        return self.raw.execute(translate(sql), parameters if parameters is not None else ())

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        cursor = self.raw.cursor()
        cursor.executemany(translate(sql), parameters)
        return cursor


def untyped_dumpers(adapters: Any) -> None:
    """Ints and bools sent like strings: typed by the server from their column."""
    from psycopg.adapt import Dumper

    class Untyped(Dumper):
        oid = 0

        def dump(self, obj: Any) -> bytes:
            return str(int(obj)).encode()

    adapters.register_dumper(int, Untyped)
    adapters.register_dumper(bool, Untyped)


def text_dumper(adapters: Any) -> None:
    """PostgreSQL text cannot hold NUL, which SQLite stores and clients may send (an event id,
    a `%00` in a path): it becomes U+FFFD, in what is stored and in what is looked up alike."""
    from psycopg.types.string import StrDumperUnknown

    class WithoutNul(StrDumperUnknown):
        def dump(self, obj: str) -> Any:
            return super().dump(obj.replace("\x00", "\ufffd") if "\x00" in obj else obj)

    adapters.register_dumper(str, WithoutNul)
