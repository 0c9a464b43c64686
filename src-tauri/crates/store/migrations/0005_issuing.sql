-- Awarding: the institution's issuer keys, the slug of each active microcredential, status
-- lists, and every award with the signed credential exactly as it was issued.

-- Ed25519 issuer keys; the private half sealed under the issuer passphrase. The newest
-- unretired key signs; retired keys stay, to sign the status lists of what they issued.
CREATE TABLE issuer_key (
    id         INTEGER PRIMARY KEY,
    did        TEXT NOT NULL UNIQUE,
    public_key TEXT NOT NULL UNIQUE,
    sealed     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    retired_at TEXT
);

-- The stable name of an active microcredential, used by scripts (`issue --credential`).
CREATE TABLE microcredential (
    proposal_id INTEGER PRIMARY KEY REFERENCES proposal (id),
    slug        TEXT NOT NULL UNIQUE
);
INSERT INTO microcredential (proposal_id, slug)
    SELECT id, 'microcredential-' || id FROM proposal WHERE status = 'active';

-- One bitstring status list of 131,072 entries per issuer key (a new one when it fills).
-- Its URL is the credential base URL setting + '/status/' + id + '.json'.
CREATE TABLE status_list (
    id            INTEGER PRIMARY KEY,
    issuer_key_id INTEGER NOT NULL REFERENCES issuer_key (id),
    size          INTEGER NOT NULL,
    next_index    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE award (
    id              TEXT PRIMARY KEY,
    proposal_id     INTEGER NOT NULL REFERENCES proposal (id),
    -- The microcredential version the award was issued under.
    version         INTEGER NOT NULL,
    learner_name    TEXT NOT NULL,
    -- Lower-cased.
    learner_email   TEXT NOT NULL,
    learner_did     TEXT,
    completed_on    TEXT NOT NULL,
    grade           TEXT,
    evidence_url    TEXT,
    evidence_note   TEXT,
    credential_id   TEXT NOT NULL UNIQUE,
    credential_json TEXT NOT NULL,
    issuer_key_id   INTEGER NOT NULL REFERENCES issuer_key (id),
    status_list_id  INTEGER NOT NULL REFERENCES status_list (id),
    status_index    INTEGER NOT NULL,
    issued_at       TEXT NOT NULL,
    issued_by       INTEGER REFERENCES person (id),
    revoked_at      TEXT,
    revoked_reason  TEXT,
    UNIQUE (proposal_id, learner_email, completed_on),
    UNIQUE (status_list_id, status_index)
);
CREATE INDEX award_issued ON award (issued_at);
CREATE INDEX award_learner ON award (learner_name);
