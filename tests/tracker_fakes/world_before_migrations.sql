-- A tracker world file as the release before migrations made it (its schema.py's SCHEMA, which it
-- ran on every start): the tables, no migration ledger. Kept to test that such a file is adopted.
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
    labels TEXT NOT NULL DEFAULT '[]',
    assignee TEXT,
    reporter TEXT,
    priority INTEGER,
    parent_key TEXT,
    written INTEGER NOT NULL DEFAULT 0,
    UNIQUE (provider, key),
    UNIQUE (provider, external_id),
    UNIQUE (container_rowid, number)
);
-- Bumped after each commit of the text index, so other processes see a new data_version.
CREATE TABLE IF NOT EXISTS text_index_commits (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
-- Tickets whose indexed text changed (an edit, a deletion, a revert), written in the edit's own
-- transaction. The text index records the last `seq` it applied, so after a crash between the
-- two commits it re-indexes what it missed.
CREATE TABLE IF NOT EXISTS text_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_rowid INTEGER NOT NULL
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
    updated_at TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '[]',
    assignee TEXT,
    reporter TEXT,
    priority INTEGER,
    parent_key TEXT
);
CREATE TABLE IF NOT EXISTS identities (
    provider TEXT NOT NULL,
    token TEXT NOT NULL,
    account_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    PRIMARY KEY (provider, token)
);
CREATE TABLE IF NOT EXISTS accounts (
    provider TEXT NOT NULL,
    account_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    email TEXT,
    login TEXT,
    is_app INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (provider, account_id)
);
CREATE TABLE IF NOT EXISTS labels (
    rowid INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    container_rowid INTEGER NOT NULL REFERENCES containers(rowid),
    external_id TEXT NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    color TEXT NOT NULL,
    description TEXT,
    written INTEGER NOT NULL DEFAULT 0,
    UNIQUE (container_rowid, name),
    UNIQUE (container_rowid, external_id)
);
CREATE TABLE IF NOT EXISTS comments (
    rowid INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    ticket_rowid INTEGER NOT NULL REFERENCES tickets(rowid),
    external_id TEXT NOT NULL,
    author TEXT,
    body_markdown TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- The body and time before its first edit (JSON), so a reset can undo the edit.
    original TEXT,
    written INTEGER NOT NULL DEFAULT 0,
    UNIQUE (provider, external_id)
);
CREATE INDEX IF NOT EXISTS comments_of_ticket ON comments (ticket_rowid);
CREATE TABLE IF NOT EXISTS ticket_events (
    seq INTEGER PRIMARY KEY,
    write_seq INTEGER NOT NULL,
    provider TEXT NOT NULL,
    ticket_rowid INTEGER NOT NULL REFERENCES tickets(rowid),
    kind TEXT NOT NULL,
    actor TEXT,
    at TEXT NOT NULL,
    details TEXT NOT NULL,
    written INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ticket_events_of_ticket ON ticket_events (ticket_rowid);
-- Issue links (Jira) and relations (Linear): `from` <kind> `to`, e.g. IAM-40 blocks IAM-45.
CREATE TABLE IF NOT EXISTS ticket_links (
    rowid INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    from_rowid INTEGER NOT NULL REFERENCES tickets(rowid),
    to_rowid INTEGER NOT NULL REFERENCES tickets(rowid),
    kind TEXT NOT NULL,
    author TEXT,
    created_at TEXT NOT NULL,
    written INTEGER NOT NULL DEFAULT 0,
    UNIQUE (from_rowid, to_rowid, kind)
);
CREATE INDEX IF NOT EXISTS ticket_links_to ON ticket_links (to_rowid);
