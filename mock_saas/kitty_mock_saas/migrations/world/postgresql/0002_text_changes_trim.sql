-- How far the `text_changes` log has been trimmed. Each replica applies the log to its own text
-- index at its own pace, so an entry cannot go once one index applied it (as on SQLite, whose
-- one index trims what it applied); it goes once it is old (`TextLogRetention`). A replica whose
-- index applied less than `through` may have lost entries: it rebuilds its index from `tickets`.
-- `candidate` is the newest entry when `candidate_at` was noted: a later trim, once that is old
-- enough, removes the entries up to it.
CREATE TABLE text_changes_trim (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    through BIGINT NOT NULL,
    candidate BIGINT,
    candidate_at TEXT COLLATE "C"
);
INSERT INTO text_changes_trim (id, through) VALUES (1, 0);
