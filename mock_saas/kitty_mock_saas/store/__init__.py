"""Where the mock keeps what it must remember: one store interface, two backends.

SQLite (a file, or memory) is the embedded default: its connection is the raw `sqlite3`
connection, so the one path pays nothing for the choice. PostgreSQL (`serve --database
postgresql://...`) lets several replicas share one state. SQL is written once, in the subset both
speak; `Dialect` holds the few fragments that have no common form.
"""

from .dialect import POSTGRESQL, SQLITE, Dialect
from .sql import Connection, Cursor, Row, Store, StoreUnavailable

__all__ = [
    "POSTGRESQL",
    "SQLITE",
    "Connection",
    "Cursor",
    "Dialect",
    "Row",
    "Store",
    "StoreUnavailable",
]
