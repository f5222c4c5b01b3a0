-- The state tables as the release before migrations left them (PRAGMA user_version = 2);
-- such a file is adopted at this version without running this script.
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE teams (
    id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    is_private INTEGER NOT NULL DEFAULT 0);
CREATE TABLE users (
    id TEXT PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE, refresh_token TEXT UNIQUE);
CREATE TABLE team_origin_providers (
    team_id TEXT NOT NULL, provider TEXT NOT NULL, PRIMARY KEY (team_id, provider));
CREATE TABLE memberships (
    user_id TEXT NOT NULL, team_id TEXT NOT NULL, role TEXT NOT NULL DEFAULT 'member',
    PRIMARY KEY (user_id, team_id));
CREATE TABLE user_links (
    user_id TEXT NOT NULL, provider TEXT NOT NULL, provider_token TEXT NOT NULL,
    PRIMARY KEY (user_id, provider));
CREATE TABLE resource_mappings (
    team_id TEXT NOT NULL, provider TEXT NOT NULL, project_slug TEXT NOT NULL,
    binding_ref TEXT UNIQUE, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL,
    container_key TEXT NOT NULL, PRIMARY KEY (team_id, provider, project_slug));
CREATE TABLE origin_links (
    origin_link_id TEXT PRIMARY KEY, team_id TEXT NOT NULL, mission_id TEXT NOT NULL,
    mission_slug TEXT, provider TEXT NOT NULL, resource_type TEXT NOT NULL,
    resource_id TEXT NOT NULL, external_issue_id TEXT NOT NULL, external_issue_key TEXT NOT NULL,
    external_issue_url TEXT NOT NULL, external_title TEXT NOT NULL, external_status TEXT NOT NULL,
    external_status_category TEXT NOT NULL, bound_at TEXT NOT NULL, bound_by TEXT NOT NULL,
    idempotency_key TEXT, UNIQUE (team_id, mission_id));
CREATE TABLE idempotency_records (
    scope TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,
    status INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (scope, key));
CREATE TABLE operations (
    operation_id TEXT PRIMARY KEY, team_id TEXT NOT NULL, user_id TEXT NOT NULL,
    status TEXT NOT NULL, polls INTEGER NOT NULL DEFAULT 0, request TEXT NOT NULL,
    idempotency_key TEXT, result TEXT, error TEXT, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL);
CREATE INDEX origin_links_by_ticket ON origin_links (team_id, provider, external_issue_id);
CREATE TABLE events (
    team_id TEXT NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL,
    aggregate_id TEXT NOT NULL, user_id TEXT NOT NULL, received_at TEXT NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (team_id, event_id));
CREATE TABLE event_receipts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, team_id TEXT, event_id TEXT NOT NULL, event_type TEXT,
    status TEXT NOT NULL, reason TEXT, user_id TEXT NOT NULL, received_at TEXT NOT NULL);
CREATE TABLE dossier_artifacts (
    project_uuid TEXT NOT NULL, mission_slug TEXT NOT NULL, artifact_path TEXT NOT NULL,
    content_hash TEXT NOT NULL, hash_algorithm TEXT NOT NULL, content_body TEXT NOT NULL,
    stored_at TEXT NOT NULL, user_id TEXT NOT NULL,
    PRIMARY KEY (project_uuid, mission_slug, artifact_path, content_hash));
CREATE TABLE request_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, method TEXT NOT NULL,
    path TEXT NOT NULL, status INTEGER NOT NULL, latency_ms REAL NOT NULL,
    error_code TEXT, user_id TEXT, operation_id TEXT, headers TEXT, body TEXT);
CREATE TABLE sandboxes (
    name TEXT PRIMARY KEY, generation TEXT NOT NULL, created_at TEXT NOT NULL,
    last_used REAL NOT NULL);
CREATE TABLE snapshots (
    name TEXT PRIMARY KEY, created_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE faults (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, remaining INTEGER,
    params TEXT NOT NULL, created_at TEXT NOT NULL);
