-- Files kept in the workspace, named by the SHA-256 of their bytes: attachments of
-- proposals and custom badge images. A blob is written once and never changed; proposals
-- and their frozen versions refer to it by hash.
CREATE TABLE blob (
    sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL,
    bytes      BLOB NOT NULL,
    added_at   TEXT NOT NULL
);

-- Institution-wide settings (the attachment size limit, ...); changes are audited by the app.
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The proposals list sorts by title in SQL.
CREATE INDEX proposal_title ON proposal (title COLLATE NOCASE);
CREATE INDEX proposal_updated ON proposal (updated_at, id);
