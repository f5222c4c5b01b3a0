"""A sandbox's overlay world on PostgreSQL: the DDL of `overlay_schema`, spelled for a server,
and the store of an overlay (`PostgresOverlayStore`).

The base world's tables live in schema `kitty_world`; a sandbox's world is schema
`kitty_sbx_<name>_world` (its connection's `search_path`). There, per shared table, `own_<table>`
holds the sandbox's rows (edited copies, created rows, `kitty_gone` marks), a view named like the
table shows them plus every base row they do not shadow, and one INSTEAD OF trigger in plpgsql
writes into the own table. PostgreSQL lets a trigger on a view set the new row's key (a sequence
from `OWN_ROWID_BASE` up, the view column's default) and counts and returns the rows it wrote,
so `RETURNING` and the row count work as on a table. The world's bookkeeping tables
(`LOCAL_TABLES`) are the sandbox's own, copied from the base's definition (`LIKE`).

Everything is read from the base schema's catalog, so the DDL follows the world's migrations.

The schema is made in one transaction of the base world's store, on a sandbox's first edit: its
views appear all at once, and the base's version moves, so every replica's memo of "has this
sandbox an overlay" (`overlay_exists`) is asked again on its next request. It is dropped with
the sandbox's state (`SandboxRegistry`).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from kitty_mock_saas.store.postgres import PostgresStore

from .overlay_schema import (
    GONE,
    INDEXED_COLUMNS,
    INDEXED_TABLE,
    LOCAL_TABLES,
    OVERLAID_TABLES,
    OWN_ROWID_BASE,
    Column,
    OverlaidTable,
    own_table,
    shadowed,
)

__all__ = [
    "BASE_SCHEMA",
    "PostgresOverlayStore",
    "create_overlay",
    "drop_overlay",
    "overlay_exists",
    "postgres_ddl",
    "read_table",
]

BASE_SCHEMA = "kitty_world"
# The table whose presence in a schema says its overlay is complete (its views came together).
_MARK = "tickets"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_table(conn: Any, schema: str, name: str) -> OverlaidTable:
    """The columns and primary key of `schema.name`, from the catalog (`conn`: psycopg's)."""
    relation = f"{_q(schema)}.{_q(name)}"
    columns = conn.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
        "pg_get_expr(d.adbin, d.adrelid), (SELECT quote_ident(c.collname) FROM pg_collation c "
        "WHERE c.oid = a.attcollation AND c.collname <> 'default') "
        "FROM pg_attribute a LEFT JOIN pg_attrdef d "
        "ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY a.attnum",
        (relation,),
    ).fetchall()
    if not columns:
        raise LookupError(f"the base world has no table {schema}.{name}")
    key = conn.execute(
        "SELECT a.attname FROM pg_index i, unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
        "JOIN pg_attribute a ON a.attnum = k.attnum "
        "WHERE i.indrelid = to_regclass(%s) AND a.attrelid = i.indrelid AND i.indisprimary "
        "ORDER BY k.n",
        (relation,),
    ).fetchall()
    unique = conn.execute(
        "SELECT array_agg(a.attname ORDER BY k.n) FROM pg_index i, "
        "unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
        "JOIN pg_attribute a ON a.attnum = k.attnum "
        "WHERE i.indrelid = to_regclass(%s) AND a.attrelid = i.indrelid AND i.indisunique "
        "AND NOT i.indisprimary AND i.indpred IS NULL GROUP BY i.indexrelid",
        (relation,),
    ).fetchall()
    return OverlaidTable(
        name,
        tuple(Column(r[0], r[1], bool(r[2]), r[3], r[4]) for r in columns),
        tuple(r[0] for r in key),
        tuple(sorted(tuple(r[0]) for r in unique)),
    )


def _typed(column: Column) -> str:
    """The column's type, with its collation when not the default (text sorts as the base's)."""
    return f"{column.type} COLLATE {column.collation}" if column.collation else column.type


def _match(table: OverlaidTable, left: str, right: str) -> str:
    return " AND ".join(f"{left}.{_q(k)} = {right}.{_q(k)}" for k in table.key)


def _values(columns: tuple[Column, ...], row: str) -> str:
    return ", ".join(f"{row}.{_q(c.name)}" for c in columns)


def postgres_ddl(table: OverlaidTable, *, schema: str, base: str = BASE_SCHEMA) -> list[str]:
    """The statements that make `table` an overlay in `schema` over `base` (idempotent: run
    again after the base gained columns, they add them)."""
    own = f"{_q(schema)}.{_q(own_table(table.name))}"
    shared = f"{_q(base)}.{_q(table.name)}"
    view = f"{_q(schema)}.{_q(table.name)}"
    names = ", ".join(_q(c.name) for c in table.columns)
    declared = [
        f"{_q(c.name)} {_typed(c)}{' NOT NULL' if c.not_null else ''}" for c in table.columns
    ]
    statements = [
        f"CREATE TABLE IF NOT EXISTS {own} ({', '.join(declared)}, "
        f"{GONE} integer NOT NULL DEFAULT 0, PRIMARY KEY ({', '.join(map(_q, table.key))}))",
        *(
            f"ALTER TABLE {own} ADD COLUMN IF NOT EXISTS {_q(c.name)} {_typed(c)}"
            for c in table.columns
        ),
        *(
            f"CREATE INDEX IF NOT EXISTS {_q(f'{own_table(table.name)}_u{n}')} "
            f"ON {own} ({', '.join(map(_q, columns))})"
            for n, columns in enumerate(table.unique)
        ),
        f"DROP VIEW IF EXISTS {view}",
        # Own rows win every unique key, as on SQLite.
        f"CREATE VIEW {view} AS SELECT {names} FROM {own} WHERE {GONE} = 0 UNION ALL "
        f"SELECT {names} FROM {shared} b WHERE NOT ({shadowed(table, own=own)})",
    ]
    # Omitted columns take the base's defaults (a view column can have one); a created row's
    # key comes from the own range.
    key = table.integer_key
    if key is not None:
        sequence = f"{_q(schema)}.{_q(own_table(table.name) + '_key')}"
        statements.append(f"CREATE SEQUENCE IF NOT EXISTS {sequence} START WITH {OWN_ROWID_BASE}")
        statements.append(
            f"ALTER VIEW {view} ALTER COLUMN {_q(key)} SET DEFAULT nextval('{sequence}')"
        )
    for column in table.columns:
        if column.name != key and column.default and "nextval(" not in column.default:
            statements.append(
                f"ALTER VIEW {view} ALTER COLUMN {_q(column.name)} SET DEFAULT {column.default}"
            )
    logged = table.name == INDEXED_TABLE and key is not None
    log_new = log_old = reindex = ""
    if logged:
        changes = f"{_q(schema)}.text_changes"
        log_new = f"INSERT INTO {changes} (ticket_rowid) VALUES (NEW.{_q(str(key))});"
        log_old = f"INSERT INTO {changes} (ticket_rowid) VALUES (OLD.{_q(str(key))});"
        moved = " OR ".join(
            f"NEW.{_q(c)} IS DISTINCT FROM OLD.{_q(c)}" for c in (*INDEXED_COLUMNS, str(key))
        )
        reindex = (
            f"IF NOT EXISTS (SELECT 1 FROM {own} o WHERE {_match(table, 'o', 'OLD')}) OR {moved} "
            f"THEN {log_old} {log_new} END IF;"
        )
    in_base = f"EXISTS (SELECT 1 FROM {shared} b WHERE {_match(table, 'b', 'OLD')})"
    tombstone = f"INSERT INTO {own} ({names}, {GONE}) VALUES ({_values(table.columns, 'OLD')}, 1);"
    function = f"{_q(schema)}.{_q(table.name + '_write')}"
    body = f"""
BEGIN
  IF TG_OP = 'INSERT' THEN
    DELETE FROM {own} o WHERE {_match(table, "o", "NEW")} AND o.{GONE} = 1;
    INSERT INTO {own} ({names}, {GONE}) VALUES ({_values(table.columns, "NEW")}, 0);
    {log_new}
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    {reindex}
    DELETE FROM {own} o WHERE {_match(table, "o", "OLD")};
    IF NOT ({_match(table, "NEW", "OLD")}) AND {in_base} THEN {tombstone} END IF;
    DELETE FROM {own} o WHERE {_match(table, "o", "NEW")};
    INSERT INTO {own} ({names}, {GONE}) VALUES ({_values(table.columns, "NEW")}, 0);
    RETURN NEW;
  END IF;
  DELETE FROM {own} o WHERE {_match(table, "o", "OLD")};
  IF {in_base} THEN {tombstone} END IF;
  {log_old}
  RETURN OLD;
END"""
    statements += [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
        f"$overlay${body}$overlay$",
        f"CREATE TRIGGER {_q(table.name + '_write')} INSTEAD OF INSERT OR UPDATE OR DELETE "
        f"ON {view} FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]
    return statements


def create_overlay(conn: Any, schema: str, *, base: str = BASE_SCHEMA) -> None:
    """Make (or bring up to date) the overlay world `schema` over `base`, in one transaction
    of psycopg connection `conn`."""
    with conn.transaction():
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {_q(schema)}")
        for name in LOCAL_TABLES:
            if conn.execute("SELECT to_regclass(%s)", (f"{_q(base)}.{_q(name)}",)).fetchone()[0]:
                conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {_q(schema)}.{_q(name)} "
                    f"(LIKE {_q(base)}.{_q(name)} INCLUDING ALL)"
                )
        for name in OVERLAID_TABLES:
            for statement in postgres_ddl(read_table(conn, base, name), schema=schema, base=base):
                conn.execute(statement)


def drop_overlay(conn: Any, schema: str) -> None:
    """Forget a sandbox's world: its schema and everything in it (the base is untouched)."""
    conn.execute(f"DROP SCHEMA IF EXISTS {_q(schema)} CASCADE")


def _made(conn: Any, schema: str) -> bool:
    """Whether the overlay in `schema` is there (`conn`: psycopg's)."""
    found = conn.execute("SELECT to_regclass(%s)", (f"{_q(schema)}.{_q(_MARK)}",)).fetchone()
    return found is not None and found[0] is not None


def overlay_exists(base: PostgresStore, schema: str, token: Hashable) -> bool:
    """Whether the overlay world `schema` over `base` is made, remembered until the base changes
    (making one changes it). `token` names who asks: a sandbox made anew asks afresh, though a
    dropped overlay leaves the base's version as it was."""

    def ask() -> bool:
        with base.read() as conn:
            return _made(conn.raw, schema)

    return base.memo(("overlay_exists", schema, token), ask)


class PostgresOverlayStore(PostgresStore):
    """The store of the overlay world in `schema` over the world store `base` (same database,
    same timeouts). `create`: make the overlay if it is not there yet (a sandbox's first edit);
    otherwise it must be (another replica made it). Its writes take its own lock; its version
    moves with its own writes and with the base's."""

    def __init__(self, schema: str, *, base: PostgresStore, create: bool) -> None:
        if create:
            with base.write() as conn:
                if not _made(conn.raw, schema):
                    create_overlay(conn.raw, schema, base=base.schema)
        else:
            with base.read() as conn:
                if not _made(conn.raw, schema):
                    raise LookupError(f"no overlay world in schema {schema!r}")
        super().__init__(
            base.url,
            schema=schema,
            connect_timeout=base._connect_timeout,
            statement_timeout=base.statement_timeout,
            stall_timeout=base._stall_timeout,
            retry_after=base._retry_after,
            clock=base._clock,
        )
        self.base_schema = base.schema
        with base.read() as conn:
            self.tables = {
                name: read_table(conn.raw, base.schema, name) for name in OVERLAID_TABLES
            }

    def __repr__(self) -> str:
        return f"PostgresOverlayStore(schema={self.schema!r}, base={self.base_schema!r})"

    def _version(self) -> int:
        with self._holding(self._read_lock), self._guarded():
            row = (
                self._reading()
                .raw.execute(
                    "SELECT o.version, b.version FROM store_version o, "
                    f"{_q(self.base_schema)}.store_version b"
                )
                .fetchone()
            )
        return (int(row[0]) << 32) | int(row[1])
