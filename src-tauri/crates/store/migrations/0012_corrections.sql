-- A corrected award (a misspelled name, a wrong date): the old one is revoked as superseded
-- and names the award that replaces it. The same learner may then hold a new award for the
-- same microcredential and completion date, so "once per learner and date" now holds among
-- awards not superseded: the table is rebuilt without that constraint (SQLite cannot drop
-- one), every row copied in order, and the rule kept as a partial unique index.
CREATE TABLE award_new (
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
    -- The award that corrects this one (set when this one is revoked as superseded).
    superseded_by   TEXT REFERENCES award_new (id),
    UNIQUE (status_list_id, status_index)
);
INSERT INTO award_new
    (id, proposal_id, version, learner_name, learner_email, learner_did, completed_on, grade,
     evidence_url, evidence_note, credential_id, credential_json, issuer_key_id,
     status_list_id, status_index, issued_at, issued_by, revoked_at, revoked_reason)
SELECT id, proposal_id, version, learner_name, learner_email, learner_did, completed_on, grade,
     evidence_url, evidence_note, credential_id, credential_json, issuer_key_id,
     status_list_id, status_index, issued_at, issued_by, revoked_at, revoked_reason
FROM award ORDER BY rowid;
DROP TABLE award;
ALTER TABLE award_new RENAME TO award;
CREATE INDEX award_issued ON award (issued_at);
CREATE INDEX award_learner ON award (learner_name);
CREATE UNIQUE INDEX award_once ON award (proposal_id, learner_email, completed_on)
    WHERE superseded_by IS NULL;
