"""The mock's persistent state: one SQLite database (a file shared by worker processes, or memory)."""

from .db import Database, StateVersionError

__all__ = ["Database", "StateVersionError"]
