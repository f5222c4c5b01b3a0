"""The state database: its tables on SQLite, over the store's connections and transactions
(`SqliteStore`: the bind / 409 / idempotency rules hold across worker processes that share the
file, also while a write waits for a snapshot restore's lock)."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
from pathlib import Path

from kitty_mock_saas.store.sqlite import SqliteStore

# Raised whenever a table changes shape; a state file of another version is refused, not misread.
SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS teams (
    id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    is_private INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE, refresh_token TEXT UNIQUE);
CREATE TABLE IF NOT EXISTS team_origin_providers (
    team_id TEXT NOT NULL, provider TEXT NOT NULL, PRIMARY KEY (team_id, provider));
CREATE TABLE IF NOT EXISTS memberships (
    user_id TEXT NOT NULL, team_id TEXT NOT NULL, role TEXT NOT NULL DEFAULT 'member',
    PRIMARY KEY (user_id, team_id));
CREATE TABLE IF NOT EXISTS user_links (
    user_id TEXT NOT NULL, provider TEXT NOT NULL, provider_token TEXT NOT NULL,
    PRIMARY KEY (user_id, provider));
CREATE TABLE IF NOT EXISTS resource_mappings (
    team_id TEXT NOT NULL, provider TEXT NOT NULL, project_slug TEXT NOT NULL,
    binding_ref TEXT UNIQUE, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL,
    container_key TEXT NOT NULL, PRIMARY KEY (team_id, provider, project_slug));
CREATE TABLE IF NOT EXISTS origin_links (
    origin_link_id TEXT PRIMARY KEY, team_id TEXT NOT NULL, mission_id TEXT NOT NULL,
    mission_slug TEXT, provider TEXT NOT NULL, resource_type TEXT NOT NULL,
    resource_id TEXT NOT NULL, external_issue_id TEXT NOT NULL, external_issue_key TEXT NOT NULL,
    external_issue_url TEXT NOT NULL, external_title TEXT NOT NULL, external_status TEXT NOT NULL,
    external_status_category TEXT NOT NULL, bound_at TEXT NOT NULL, bound_by TEXT NOT NULL, idempotency_key TEXT,
    UNIQUE (team_id, mission_id));
CREATE TABLE IF NOT EXISTS idempotency_records (
    scope TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,
    status INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (scope, key));
CREATE TABLE IF NOT EXISTS operations (
    operation_id TEXT PRIMARY KEY, team_id TEXT NOT NULL, user_id TEXT NOT NULL,
    status TEXT NOT NULL, polls INTEGER NOT NULL DEFAULT 0, request TEXT NOT NULL,
    idempotency_key TEXT, result TEXT, error TEXT, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS origin_links_by_ticket
    ON origin_links (team_id, provider, external_issue_id);
CREATE TABLE IF NOT EXISTS events (
    team_id TEXT NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL,
    aggregate_id TEXT NOT NULL, user_id TEXT NOT NULL, received_at TEXT NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (team_id, event_id));
CREATE TABLE IF NOT EXISTS event_receipts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, team_id TEXT, event_id TEXT NOT NULL, event_type TEXT,
    status TEXT NOT NULL, reason TEXT, user_id TEXT NOT NULL, received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dossier_artifacts (
    project_uuid TEXT NOT NULL, mission_slug TEXT NOT NULL, artifact_path TEXT NOT NULL,
    content_hash TEXT NOT NULL, hash_algorithm TEXT NOT NULL, content_body TEXT NOT NULL,
    stored_at TEXT NOT NULL, user_id TEXT NOT NULL,
    PRIMARY KEY (project_uuid, mission_slug, artifact_path, content_hash));
CREATE TABLE IF NOT EXISTS request_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, method TEXT NOT NULL,
    path TEXT NOT NULL, status INTEGER NOT NULL, latency_ms REAL NOT NULL,
    error_code TEXT, user_id TEXT, operation_id TEXT, headers TEXT, body TEXT);
CREATE TABLE IF NOT EXISTS sandboxes (
    name TEXT PRIMARY KEY, generation TEXT NOT NULL, created_at TEXT NOT NULL,
    last_used REAL NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (
    name TEXT PRIMARY KEY, created_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS faults (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, remaining INTEGER,
    params TEXT NOT NULL, created_at TEXT NOT NULL);
"""


class StateVersionError(RuntimeError):
    """The state file was written by a mock with other tables."""


class Database(SqliteStore):
    """The process's connection to the state database."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self._snapshot_dir: Path | None = None
        with self._lock:
            # One statement, one snapshot: another worker may be creating the tables right now.
            used, found = self._conn.execute(
                "SELECT (SELECT count(*) FROM sqlite_master), user_version FROM pragma_user_version"
            ).fetchone()
            if used and found != SCHEMA_VERSION:
                self.close()
                raise StateVersionError(
                    f"state file {path} has schema version {found}, this mock writes "
                    f"{SCHEMA_VERSION}: delete the file (or use another --state) and start again"
                )
            # CREATE IF NOT EXISTS is safe to race; tables and version commit together.
            self._conn.executescript(
                f"BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            )
            self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        """A state file written before the journal kept operations, headers and bodies."""
        have = {row[1] for row in self._conn.execute("PRAGMA table_info(request_log)")}
        for column in ("operation_id", "headers", "body"):
            if column not in have:
                # Another worker process may have added it first.
                with contextlib.suppress(sqlite3.OperationalError):
                    self._conn.execute(f"ALTER TABLE request_log ADD COLUMN {column} TEXT")

    def snapshot_dir(self) -> Path:
        """Where this state's snapshot files live, owner-only (they hold tokens): beside the
        state file, or a temporary directory for an in-memory state (removed on close)."""
        with self._lock:
            if self._snapshot_dir is None:
                if self.path == ":memory:":
                    self._snapshot_dir = Path(tempfile.mkdtemp(prefix="kitty-snapshots-"))
                else:
                    self._snapshot_dir = Path(self.path + ".snapshots")
                    self._snapshot_dir.mkdir(mode=0o700, exist_ok=True)
            return self._snapshot_dir

    def close(self) -> None:
        with self._lock, self._read_lock:
            super().close()
            if self.path == ":memory:" and self._snapshot_dir is not None:
                shutil.rmtree(self._snapshot_dir, ignore_errors=True)
