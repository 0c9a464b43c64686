-- Every audit entry is signed by the person who made it: Ed25519 over the entry's hash (its
-- 64 hex characters), with the key that person held then. A row is written in the same
-- transaction as its entry and never changed. Entries written before this migration have
-- none: they are history, reported as unsigned, not as failures.
CREATE TABLE audit_signature (
    seq        INTEGER PRIMARY KEY REFERENCES audit_log (seq),
    public_key TEXT NOT NULL,
    signature  TEXT NOT NULL
);

INSERT INTO setting (key, value)
    SELECT 'audit_signed_from_seq', CAST(COALESCE(MAX(seq), 0) AS TEXT) FROM audit_log;

-- One-time enrolment codes: a coordinator adds a person (or resets their key) and hands
-- them the code; the person sets their own passphrase with it. Only a SHA-256 of the code
-- is kept. A code is used once and expires.
CREATE TABLE enrolment (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES person (id),
    code_hash  TEXT NOT NULL,
    issued_at  TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX enrolment_person ON enrolment (person_id);
