"""The tracker world's SQLite tables: containers, identities, tickets (with their originals
before an edit, and the status writes made through the fakes), and the text index's progress."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS containers (
    rowid INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    key TEXT NOT NULL,
    external_id TEXT NOT NULL,
    name TEXT NOT NULL,
    site_url TEXT NOT NULL,
    UNIQUE (provider, key),
    UNIQUE (provider, external_id)
);
CREATE TABLE IF NOT EXISTS tickets (
    rowid INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    container_rowid INTEGER NOT NULL REFERENCES containers(rowid),
    number INTEGER NOT NULL,
    external_id TEXT NOT NULL,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    body_markdown TEXT,
    status_name TEXT NOT NULL,
    status_category TEXT NOT NULL,
    state_reason TEXT,
    is_pull_request INTEGER NOT NULL DEFAULT 0,
    transferred_to TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    restricted_to TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    scope TEXT NOT NULL,
    synthetic INTEGER NOT NULL DEFAULT 0,
    UNIQUE (provider, key),
    UNIQUE (provider, external_id),
    UNIQUE (container_rowid, number)
);
-- Bumped after each commit of the text index, so other processes see a new data_version.
CREATE TABLE IF NOT EXISTS text_index_commits (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
-- Restricted tickets are few: this says at once whether a container has any.
CREATE INDEX IF NOT EXISTS tickets_restricted ON tickets (container_rowid)
    WHERE restricted_to IS NOT NULL;
-- The FTS5 index of earlier versions, which the text index replaced.
DROP TABLE IF EXISTS ticket_fts;
-- Who wrote which status, so tests and the dashboard can tell an installation's write from a user's.
CREATE TABLE IF NOT EXISTS status_writes (
    seq INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    key TEXT NOT NULL,
    account_id TEXT NOT NULL,
    status_name TEXT NOT NULL,
    status_category TEXT NOT NULL,
    at TEXT NOT NULL
);
-- The columns of each ticket before its first edit (`TicketEdits`), so a reset can undo edits.
CREATE TABLE IF NOT EXISTS ticket_originals (
    ticket_rowid INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body_markdown TEXT,
    status_name TEXT NOT NULL,
    status_category TEXT NOT NULL,
    state_reason TEXT,
    deleted INTEGER NOT NULL,
    restricted_to TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS identities (
    provider TEXT NOT NULL,
    token TEXT NOT NULL,
    account_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    PRIMARY KEY (provider, token)
);
"""
