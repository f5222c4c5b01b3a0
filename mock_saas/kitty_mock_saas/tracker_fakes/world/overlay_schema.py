"""The DDL of a sandbox's overlay world, generated from the base world's own tables.

A sandbox stores only what it changed. For each shared table the overlay has an own table
(`own_<table>`) of the same columns, plus `kitty_gone`, keyed like the base table: edited copies of base rows,
rows the sandbox created, and marks (`kitty_gone = 1`) for base rows it deleted. A view named
like the table shows the own rows plus every base row whose key the overlay does not hold;
INSTEAD OF triggers on the view write into the own table (copy-on-write), so the world's code
and SQL run on a sandbox unchanged. Rows a sandbox creates take keys from `OWN_ROWID_BASE`
up, a range the base world's growth never reaches, so a base row created later can never be
taken for one of the sandbox's. A base row the sandbox never touched is read live: later base
changes show through.

`OverlaidTable` is read from the base (`PRAGMA table_info`), so the DDL follows the base schema
mechanically; `sqlite_ddl` spells it for SQLite, `overlay_postgres.postgres_ddl` for
PostgreSQL. Tables of the world's own bookkeeping (`LOCAL_TABLES`) are not shared: the overlay
has its own, empty at first.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "GONE",
    "INSERTED_FUNCTION",
    "LOCAL_TABLES",
    "OVERLAID_TABLES",
    "OWN_ROWID_BASE",
    "Column",
    "OverlaidTable",
    "own_table",
    "read_table",
    "shadowed",
    "sqlite_ddl",
]

# Rows a sandbox creates number from here: 2**40, never reached by a base world (a million
# tickets use rowids up to a million), and small enough for every provider id built from one.
OWN_ROWID_BASE = 1 << 40
GONE = "kitty_gone"
# Called by the insert triggers with each new own rowid: the connection reports it as the
# statement's `lastrowid` (SQLite restores last_insert_rowid() when a trigger ends).
INSERTED_FUNCTION = "kitty_overlay_row"

# The world's tables a sandbox shares with its base, and the table whose rows the text index
# follows (its own-row writes are logged in the overlay's `text_changes`).
OVERLAID_TABLES = (
    "containers",
    "accounts",
    "identities",
    "tickets",
    "labels",
    "comments",
    "ticket_events",
    "ticket_links",
    "status_writes",
)
INDEXED_TABLE = "tickets"
# The columns of the indexed table the text index reads (edits.INDEX_COLUMNS): an update of an
# own row that changes none of them leaves the index alone.
INDEXED_COLUMNS = (
    "container_rowid",
    "is_pull_request",
    "title",
    "body_markdown",
    "deleted",
    "transferred_to",
)
# Kept per world, not shared: the originals a reset restores (an overlay's reset drops the
# overlay instead) and the text index's log and generation.
LOCAL_TABLES = ("ticket_originals", "text_changes", "text_index_commits")

_INTEGER_TYPES = frozenset({"INTEGER", "BIGINT", "INT", "INT8", "INT4"})
_TABLE_CONSTRAINTS = frozenset({"UNIQUE", "PRIMARY", "CHECK", "FOREIGN", "CONSTRAINT"})
_COLLATE = re.compile(r"\bCOLLATE\s+(\w+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str
    not_null: bool
    default: str | None  # an SQL expression, as the base declares it
    collation: str | None


@dataclass(frozen=True, slots=True)
class OverlaidTable:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the primary key's columns
    # The column sets of the base's other unique constraints (`(provider, key)` of tickets).
    unique: tuple[tuple[str, ...], ...] = ()

    @property
    def integer_key(self) -> str | None:
        """The key column when it is one INTEGER PRIMARY KEY (a rowid), else None."""
        if len(self.key) != 1:
            return None
        column = next(c for c in self.columns if c.name == self.key[0])
        return column.name if column.type.upper() in _INTEGER_TYPES else None


def own_table(name: str) -> str:
    """The overlay's table of its own rows of shared table `name`."""
    return f"own_{name}"


def read_table(db: sqlite3.Connection, schema: str, name: str) -> OverlaidTable:
    """The columns and key of table `name` in attached database `schema`."""
    info = db.execute(f'PRAGMA "{schema}".table_info("{name}")').fetchall()
    if not info:
        raise LookupError(f"the base world has no table {name!r}")
    sql = db.execute(
        f'SELECT sql FROM "{schema}".sqlite_master WHERE type = ? AND name = ?', ("table", name)
    ).fetchone()[0]
    declarations = _column_declarations(sql)
    columns = tuple(
        Column(
            name=row[1],
            type=row[2] or "",
            not_null=bool(row[3]),
            default=row[4],
            collation=_collation(declarations.get(row[1].lower(), "")),
        )
        for row in info
    )
    key = tuple(row[1] for row in sorted((r for r in info if r[5]), key=lambda r: r[5]))
    unique = tuple(
        tuple(
            str(c[2]) for c in db.execute(f'PRAGMA "{schema}".index_info("{index[1]}")').fetchall()
        )
        for index in db.execute(f'PRAGMA "{schema}".index_list("{name}")').fetchall()
        if index[2] and index[3] == "u" and not index[4]  # UNIQUE constraints, not partial
    )
    return OverlaidTable(name, columns, key, tuple(sorted(unique)))


def _column_declarations(create_sql: str) -> dict[str, str]:
    """Each column's declaration in a CREATE TABLE statement, by lowercased name."""
    body = create_sql[create_sql.index("(") + 1 : create_sql.rindex(")")]
    parts: list[str] = []
    depth, start = 0, 0
    for i, char in enumerate(body):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    declarations: dict[str, str] = {}
    for part in parts:
        words = part.strip().split(None, 1)
        if words and words[0].upper() not in _TABLE_CONSTRAINTS:
            declarations[words[0].strip('"').lower()] = part
    return declarations


def _collation(declaration: str) -> str | None:
    found = _COLLATE.search(declaration.split("--")[0])
    return found.group(1) if found else None


def _q(name: str) -> str:
    return f'"{name}"'


def _names(columns: Sequence[Column], prefix: str = "") -> str:
    return ", ".join(f"{prefix}{_q(c.name)}" for c in columns)


def _key_match(table: OverlaidTable, left: str, right: str) -> str:
    """`left`'s key equals `right`'s (aliases or NEW/OLD)."""
    return _match(table.key, left, right)


def _match(columns: Sequence[str], left: str, right: str) -> str:
    return " AND ".join(f"{left}.{_q(c)} = {right}.{_q(c)}" for c in columns)


def shadowed(table: OverlaidTable, alias: str = "b", *, own: str | None = None) -> str:
    """A condition on base row `alias`: the overlay holds a row of its key or of one of its
    unique keys (own rows win every unique key: a ticket the base numbers after the sandbox
    created one with the same number stays the sandbox's)."""
    own = own or _q(own_table(table.name))
    return " OR ".join(
        f"EXISTS (SELECT 1 FROM {own} o WHERE {_match(columns, 'o', alias)})"
        for columns in (table.key, *table.unique)
    )


def _new_values(table: OverlaidTable, own: str) -> str:
    """NEW's values for an insert: a NOT NULL column with a default takes it when the statement
    left the column out (a view has no defaults, so NEW holds NULL); a created row's integer key
    comes from the own range."""
    values = []
    for column in table.columns:
        value = f"NEW.{_q(column.name)}"
        if column.name == table.integer_key:
            value = (
                f"coalesce({value}, (SELECT coalesce(max({_q(column.name)}) + 1, {OWN_ROWID_BASE})"
                f" FROM {own} WHERE {_q(column.name)} >= {OWN_ROWID_BASE}))"
            )
        elif column.not_null and column.default is not None:
            value = f"coalesce({value}, {column.default})"
        values.append(value)
    return ", ".join(values)


def sqlite_ddl(table: OverlaidTable, *, base: str = "base") -> tuple[list[str], list[str]]:
    """(the own table's DDL, run once in the overlay file; the TEMP view and triggers, run on
    every connection) for `table`, whose base rows are in attached database `base`."""
    # Unqualified in trigger bodies (SQLite refuses a qualified write target there): no temp
    # object carries an `own_` name, so it is the overlay file's table.
    own = _q(own_table(table.name))
    shared = f"{_q(base)}.{_q(table.name)}"
    columns = []
    for column in table.columns:
        declared = f"{_q(column.name)} {column.type}".rstrip()
        if column.collation:
            declared += f" COLLATE {column.collation}"
        if column.not_null:
            declared += " NOT NULL"
        columns.append(declared)
    persistent = [
        f"CREATE TABLE IF NOT EXISTS main.{own} ({', '.join(columns)}, "
        f"{GONE} INTEGER NOT NULL DEFAULT 0, PRIMARY KEY ({', '.join(map(_q, table.key))}))",
        *(
            f"CREATE INDEX IF NOT EXISTS main.{_q(f'{own_table(table.name)}_u{n}')} "
            f"ON {own} ({', '.join(map(_q, columns))})"
            for n, columns in enumerate(table.unique)
        ),
    ]
    names = _names(table.columns)
    view = _q(table.name)
    logged = table.name == INDEXED_TABLE and table.integer_key is not None

    def log(row: str, when: str = "1") -> str:
        """The text index's log entry for a write of the own row `row` (tickets only)."""
        return (
            f"INSERT INTO text_changes (ticket_rowid) SELECT {row} WHERE {when};" if logged else ""
        )

    key = table.integer_key or table.key[0]
    in_base = f"EXISTS (SELECT 1 FROM {shared} b WHERE {_key_match(table, 'b', 'OLD')})"
    tombstone = (
        f"INSERT INTO {own} ({names}, {GONE}) SELECT {_names(table.columns, 'OLD.')}, 1 "
        f"WHERE {in_base};"
    )
    drop_own = f"DELETE FROM {own} WHERE {_key_match(table, own, 'OLD')};"
    # An update re-indexes when the row becomes the overlay's (its first copy) or its text moved.
    reindex = " OR ".join(
        [f"NOT EXISTS (SELECT 1 FROM {own} WHERE {_key_match(table, own, 'OLD')})"]
        + [f"NEW.{_q(c)} IS NOT OLD.{_q(c)}" for c in INDEXED_COLUMNS if logged]
        + [f"NEW.{_q(key)} IS NOT OLD.{_q(key)}"]
    )
    temporary = [
        f"CREATE TEMP VIEW {view} AS "
        f"SELECT {names} FROM {own} WHERE {GONE} = 0 UNION ALL "
        f"SELECT {names} FROM {shared} b WHERE NOT ({shadowed(table)})",
        f"CREATE TEMP TRIGGER {_q(table.name + '_insert')} INSTEAD OF INSERT ON {view} BEGIN "
        f"DELETE FROM {own} WHERE {_key_match(table, own, 'NEW')} AND {GONE} = 1; "
        f"INSERT INTO {own} ({names}, {GONE}) VALUES ({_new_values(table, own)}, 0); "
        f"SELECT {INSERTED_FUNCTION}(last_insert_rowid()); "
        f"{log('last_insert_rowid()')} END",
        # A changed key leaves the old key's base row hidden, as a real UPDATE would move it.
        f"CREATE TEMP TRIGGER {_q(table.name + '_update')} INSTEAD OF UPDATE ON {view} BEGIN "
        f"{log(f'OLD.{_q(key)}', reindex)} {log(f'NEW.{_q(key)}', reindex)} {drop_own} "
        f"INSERT INTO {own} ({names}, {GONE}) SELECT {_names(table.columns, 'OLD.')}, 1 "
        f"WHERE NOT ({_key_match(table, 'NEW', 'OLD')}) AND {in_base}; "
        f"DELETE FROM {own} WHERE {_key_match(table, own, 'NEW')}; "
        f"INSERT INTO {own} ({names}, {GONE}) VALUES ({_names(table.columns, 'NEW.')}, 0); "
        f"SELECT {INSERTED_FUNCTION}(NULL); END",
        f"CREATE TEMP TRIGGER {_q(table.name + '_delete')} INSTEAD OF DELETE ON {view} BEGIN "
        f"{drop_own} {tombstone} "
        f"SELECT {INSERTED_FUNCTION}(NULL); "
        f"{log(f'OLD.{_q(key)}')} END",
    ]
    return persistent, temporary
