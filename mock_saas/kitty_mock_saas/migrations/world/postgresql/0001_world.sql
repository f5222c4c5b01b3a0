-- The tracker world's tables on PostgreSQL: those of the SQLite world (its 0001), so every
-- statement of the world runs on both. What keeps the answers identical:
-- - a row's `rowid` (or `seq`) is one more than the largest in use, as SQLite assigns an INTEGER
--   PRIMARY KEY, so the ids made from it (comments, labels, links, events) are the same on both
--   (writers of the world are serialized, so the largest cannot race);
-- - integers are 64-bit, as SQLite's are;
-- - text sorts by code point (COLLATE "C"), as SQLite's BINARY does, and lower() then folds
--   ASCII only, as SQLite's does;
-- - no foreign keys are enforced: SQLite does not enforce the ones it declares.
-- `text_changes.seq` never goes back (SQLite's AUTOINCREMENT): each replica's text index
-- remembers the last one it applied.

CREATE FUNCTION next_rowid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SELECT coalesce(max(rowid), 0) + 1 FROM %I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME)
        INTO NEW.rowid;
    RETURN NEW;
END
$$;

CREATE FUNCTION next_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SELECT coalesce(max(seq), 0) + 1 FROM %I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME)
        INTO NEW.seq;
    RETURN NEW;
END
$$;

CREATE TABLE containers (
    rowid BIGINT PRIMARY KEY,
    provider TEXT COLLATE "C" NOT NULL,
    key TEXT COLLATE "C" NOT NULL,
    external_id TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    site_url TEXT COLLATE "C" NOT NULL,
    UNIQUE (provider, key),
    UNIQUE (provider, external_id)
);
CREATE TRIGGER containers_rowid BEFORE INSERT ON containers
    FOR EACH ROW WHEN (NEW.rowid IS NULL) EXECUTE FUNCTION next_rowid();

CREATE TABLE tickets (
    rowid BIGINT PRIMARY KEY,
    provider TEXT COLLATE "C" NOT NULL,
    container_rowid BIGINT NOT NULL,
    number BIGINT NOT NULL,
    external_id TEXT COLLATE "C" NOT NULL,
    key TEXT COLLATE "C" NOT NULL,
    title TEXT COLLATE "C" NOT NULL,
    body_markdown TEXT COLLATE "C",
    status_name TEXT COLLATE "C" NOT NULL,
    status_category TEXT COLLATE "C" NOT NULL,
    state_reason TEXT COLLATE "C",
    is_pull_request BIGINT NOT NULL DEFAULT 0,
    transferred_to TEXT COLLATE "C",
    deleted BIGINT NOT NULL DEFAULT 0,
    restricted_to TEXT COLLATE "C",
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL,
    scope TEXT COLLATE "C" NOT NULL,
    synthetic BIGINT NOT NULL DEFAULT 0,
    labels TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    assignee TEXT COLLATE "C",
    reporter TEXT COLLATE "C",
    priority BIGINT,
    parent_key TEXT COLLATE "C",
    written BIGINT NOT NULL DEFAULT 0,
    UNIQUE (provider, key),
    UNIQUE (provider, external_id),
    UNIQUE (container_rowid, number)
);
CREATE TRIGGER tickets_rowid BEFORE INSERT ON tickets
    FOR EACH ROW WHEN (NEW.rowid IS NULL) EXECUTE FUNCTION next_rowid();
-- Restricted tickets are few: this says at once whether a container has any.
CREATE INDEX tickets_restricted ON tickets (container_rowid) WHERE restricted_to IS NOT NULL;

-- Tickets whose indexed text changed (an edit, a deletion, a revert), written in the edit's own
-- transaction; every replica's text index applies them in `seq` order.
CREATE TABLE text_changes (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_rowid BIGINT NOT NULL
);

-- Who wrote which status, so tests and the dashboard can tell an installation's write from a user's.
CREATE TABLE status_writes (
    seq BIGINT PRIMARY KEY,
    provider TEXT COLLATE "C" NOT NULL,
    key TEXT COLLATE "C" NOT NULL,
    account_id TEXT COLLATE "C" NOT NULL,
    status_name TEXT COLLATE "C" NOT NULL,
    status_category TEXT COLLATE "C" NOT NULL,
    at TEXT COLLATE "C" NOT NULL
);
CREATE TRIGGER status_writes_seq BEFORE INSERT ON status_writes
    FOR EACH ROW WHEN (NEW.seq IS NULL) EXECUTE FUNCTION next_seq();

-- The columns of each ticket before its first edit, so a reset can undo edits.
CREATE TABLE ticket_originals (
    ticket_rowid BIGINT PRIMARY KEY,
    title TEXT COLLATE "C" NOT NULL,
    body_markdown TEXT COLLATE "C",
    status_name TEXT COLLATE "C" NOT NULL,
    status_category TEXT COLLATE "C" NOT NULL,
    state_reason TEXT COLLATE "C",
    deleted BIGINT NOT NULL,
    restricted_to TEXT COLLATE "C",
    updated_at TEXT COLLATE "C" NOT NULL,
    labels TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    assignee TEXT COLLATE "C",
    reporter TEXT COLLATE "C",
    priority BIGINT,
    parent_key TEXT COLLATE "C"
);

CREATE TABLE identities (
    provider TEXT COLLATE "C" NOT NULL,
    token TEXT COLLATE "C" NOT NULL,
    account_id TEXT COLLATE "C" NOT NULL,
    display_name TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (provider, token)
);

CREATE TABLE accounts (
    provider TEXT COLLATE "C" NOT NULL,
    account_id TEXT COLLATE "C" NOT NULL,
    display_name TEXT COLLATE "C" NOT NULL,
    email TEXT COLLATE "C",
    login TEXT COLLATE "C",
    is_app BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (provider, account_id)
);

CREATE TABLE labels (
    rowid BIGINT PRIMARY KEY,
    provider TEXT COLLATE "C" NOT NULL,
    container_rowid BIGINT NOT NULL,
    external_id TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    color TEXT COLLATE "C" NOT NULL,
    description TEXT COLLATE "C",
    written BIGINT NOT NULL DEFAULT 0,
    UNIQUE (container_rowid, external_id)
);
CREATE TRIGGER labels_rowid BEFORE INSERT ON labels
    FOR EACH ROW WHEN (NEW.rowid IS NULL) EXECUTE FUNCTION next_rowid();
-- Label names are unique per container whatever their case.
CREATE UNIQUE INDEX labels_by_name ON labels (container_rowid, lower(name));

CREATE TABLE comments (
    rowid BIGINT PRIMARY KEY,
    provider TEXT COLLATE "C" NOT NULL,
    ticket_rowid BIGINT NOT NULL,
    external_id TEXT COLLATE "C" NOT NULL,
    author TEXT COLLATE "C",
    body_markdown TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL,
    -- The body and time before its first edit (JSON), so a reset can undo the edit.
    original TEXT COLLATE "C",
    written BIGINT NOT NULL DEFAULT 0,
    UNIQUE (provider, external_id)
);
CREATE TRIGGER comments_rowid BEFORE INSERT ON comments
    FOR EACH ROW WHEN (NEW.rowid IS NULL) EXECUTE FUNCTION next_rowid();
CREATE INDEX comments_of_ticket ON comments (ticket_rowid);

CREATE TABLE ticket_events (
    seq BIGINT PRIMARY KEY,
    write_seq BIGINT NOT NULL,
    provider TEXT COLLATE "C" NOT NULL,
    ticket_rowid BIGINT NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    actor TEXT COLLATE "C",
    at TEXT COLLATE "C" NOT NULL,
    details TEXT COLLATE "C" NOT NULL,
    written BIGINT NOT NULL DEFAULT 0
);
CREATE TRIGGER ticket_events_seq BEFORE INSERT ON ticket_events
    FOR EACH ROW WHEN (NEW.seq IS NULL) EXECUTE FUNCTION next_seq();
CREATE INDEX ticket_events_of_ticket ON ticket_events (ticket_rowid);

-- Issue links (Jira) and relations (Linear): `from` <kind> `to`, e.g. IAM-40 blocks IAM-45.
CREATE TABLE ticket_links (
    rowid BIGINT PRIMARY KEY,
    provider TEXT COLLATE "C" NOT NULL,
    from_rowid BIGINT NOT NULL,
    to_rowid BIGINT NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    author TEXT COLLATE "C",
    created_at TEXT COLLATE "C" NOT NULL,
    written BIGINT NOT NULL DEFAULT 0,
    UNIQUE (from_rowid, to_rowid, kind)
);
CREATE TRIGGER ticket_links_rowid BEFORE INSERT ON ticket_links
    FOR EACH ROW WHEN (NEW.rowid IS NULL) EXECUTE FUNCTION next_rowid();
CREATE INDEX ticket_links_to ON ticket_links (to_rowid);
