"""A per-process cache of open outbox connections, so opening the outbox per event is cheap.

Opening an SQLite file, setting its pragmas and running the schema script costs more than the
durable insert itself, and closing the last connection checkpoints the WAL into the database
(more fsyncs). `start_mission_from_ticket` opens the outbox for every event, so a closed
`EventOutbox` hands its connection back here and the next one reuses it. Durability does not
change: every commit is still its own fdatasync under synchronous=FULL; an idle connection
holds no lock and no transaction, so other connections and processes see the same file.

A cached connection is reused only by the process that opened it (a forked child opens its
own) and only while the path still names the same file (a deleted or replaced outbox gets a
fresh connection). At most `_MAX_IDLE` idle connections are kept; the oldest is closed first.
"""

from __future__ import annotations

import atexit
import os
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

__all__ = ["checkin", "checkout", "close_idle"]

_MAX_IDLE = 8
# Bumped whenever the schema script changes, so an older file gets the new script once.
SCHEMA_VERSION = 1

# path → (pid, (st_dev, st_ino), connection); only connections nobody is using.
_idle: OrderedDict[str, tuple[int, tuple[int, int], sqlite3.Connection]] = OrderedDict()
_lock = threading.Lock()
_exit_hook = False


def _identity(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def checkout(path: Path, schema: str) -> sqlite3.Connection:
    """An open connection to `path` (WAL, synchronous=FULL, schema in place) for one user.

    Raises: sqlite3.Error or OSError when the file cannot be opened or initialised.
    """
    key = str(path)
    with _lock:
        entry = _idle.pop(key, None)
    if entry is not None:
        pid, identity, db = entry
        if pid == os.getpid() and identity == _identity(key):
            return db
        if pid == os.getpid():
            db.close()  # the file was deleted or replaced under us
        # A connection inherited through fork is abandoned, never closed: closing it could
        # checkpoint or unlink the parent's WAL.
    return _connect(key, schema)


def checkin(path: Path, db: sqlite3.Connection) -> None:
    """Hand `db` back for the next `checkout` of `path` (closed if it cannot be cached)."""
    key = str(path)
    identity = _identity(key)
    if db.in_transaction or identity is None:
        db.close()
        return
    evicted: list[tuple[int, tuple[int, int], sqlite3.Connection]] = []
    with _lock:
        global _exit_hook
        if not _exit_hook:
            # One clean close (and WAL checkpoint) per process instead of one per event.
            atexit.register(close_idle)
            _exit_hook = True
        previous = _idle.pop(key, None)
        if previous is not None:
            evicted.append(previous)
        _idle[key] = (os.getpid(), identity, db)
        while len(_idle) > _MAX_IDLE:
            evicted.append(_idle.popitem(last=False)[1])
    for pid, _, connection in evicted:
        if pid == os.getpid():
            connection.close()


def close_idle() -> None:
    """Close every cached connection this process opened."""
    with _lock:
        entries = list(_idle.values())
        _idle.clear()
    for pid, _, db in entries:
        if pid == os.getpid():
            db.close()


def _connect(path: str, schema: str) -> sqlite3.Connection:
    # check_same_thread=False: a cached connection may serve another thread later; the cache
    # guarantees one user at a time.
    db = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        # `user_version` tells an initialised file apart without running the script.
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            db.executescript(f"{schema}\nPRAGMA user_version = {SCHEMA_VERSION};")
    except BaseException:
        db.close()
        raise
    return db
