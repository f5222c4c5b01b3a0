"""The PostgreSQL adapter's statement translation and rows, which need no server: the SQLite
store's statements must reach psycopg with the same meaning."""

from __future__ import annotations

import pytest
from kitty_mock_saas.store.postgres import lock_key
from kitty_mock_saas.store.postgres_adapter import PostgresRow, _row_class, translate


@pytest.mark.parametrize(
    ("sqlite", "psycopg"),
    [
        ("SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = %s AND b = %s"),
        ("UPDATE t SET a = :a WHERE id = :id_1", "UPDATE t SET a = %(a)s WHERE id = %(id_1)s"),
        # Casts, literals and comments keep their colons, question marks and percents.
        ("SELECT x::jsonb, ':a?' FROM t -- 5% ?", "SELECT x::jsonb, ':a?' FROM t -- 5%% ?"),
        ("SELECT 'it''s ?' || ?", "SELECT 'it''s ?' || %s"),
        ('SELECT "odd:name?" FROM t', 'SELECT "odd:name?" FROM t'),
        ("SELECT a % 2 FROM t WHERE b LIKE 'x%'", "SELECT a %% 2 FROM t WHERE b LIKE 'x%%'"),
    ],
)
def test_placeholders_are_translated_and_nothing_else(sqlite: str, psycopg: str) -> None:
    assert translate(sqlite) == psycopg


def test_rows_index_by_position_and_by_name_like_sqlite_rows() -> None:
    row = _row_class(("team_id", "count"))(("t1", 3))
    assert isinstance(row, PostgresRow)
    assert (row[0], row["team_id"], row[1], row["count"]) == ("t1", "t1", 3, 3)
    assert dict(row) == {"team_id": "t1", "count": 3}
    assert tuple(row) == ("t1", 3)
    with pytest.raises(KeyError):
        row["missing"]


def test_each_store_has_its_own_advisory_lock_in_range() -> None:
    keys = {lock_key(name) for name in ("kitty_state", "kitty_world", "kitty_sbx_a")}
    assert len(keys) == 3
    assert all(-(2**31) <= key < 2**31 for key in keys)
