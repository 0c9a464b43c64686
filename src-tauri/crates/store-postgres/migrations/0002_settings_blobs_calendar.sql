-- Institution-wide settings, files by their hash, and the academic calendar (SQLite's
-- 0003_attachments.sql and 0009_microcredential_life.sql hold the same tables).

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE blob (
    sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    media_type TEXT NOT NULL,
    size       BIGINT NOT NULL,
    bytes      BYTEA NOT NULL,
    added_at   TEXT NOT NULL
);

CREATE TABLE academic_term (
    code      TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on   TEXT NOT NULL
);
