-- The institution that awards credentials. One row.
CREATE TABLE institution (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL,
    country     TEXT NOT NULL,
    url         TEXT,
    email       TEXT,
    logo        BLOB,
    logo_mime   TEXT,
    logo_width  INTEGER,
    logo_height INTEGER
);

CREATE TABLE unit (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    parent_id INTEGER REFERENCES unit (id)
);
CREATE INDEX unit_parent ON unit (parent_id);

CREATE TABLE person (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    email   TEXT NOT NULL,
    unit_id INTEGER REFERENCES unit (id)
);
CREATE UNIQUE INDEX person_email ON person (lower(email));

CREATE TABLE person_role (
    person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    role      TEXT NOT NULL,
    PRIMARY KEY (person_id, role)
);

-- Append-only by use (the store has no update or delete for it); each row's hash covers its
-- fields and the previous row's hash, so any edit made outside Credence is detected.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER,
    actor_name  TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    action      TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- Choices of whoever uses this workspace (the acting person), not governed data.
CREATE TABLE preference (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
