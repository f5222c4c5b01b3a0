"""The mock's persistent state: an SQLite database (a file shared by worker processes, or memory)
or a schema of a PostgreSQL database shared by replicas."""

from .db import (
    Database,
    PostgresState,
    SqliteState,
    StateVersionError,
    apply_migrations,
    migration_status,
    open_state,
)

__all__ = [
    "Database",
    "PostgresState",
    "SqliteState",
    "StateVersionError",
    "apply_migrations",
    "migration_status",
    "open_state",
]
