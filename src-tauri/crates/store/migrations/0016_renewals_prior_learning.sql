-- Renewal (issue 18, part 5): an award may renew an earlier one of the same learner and
-- microcredential, issued with a new validity; the earlier one stays as it was (authentic
-- until its own expiry) and names no renewal itself, so the link is on the new award.
ALTER TABLE award ADD COLUMN renewal_of TEXT REFERENCES award (id);
CREATE INDEX award_renewal ON award (renewal_of) WHERE renewal_of IS NOT NULL;

-- Recognition of prior learning (issue 18, part 6): a learner's claim to a microcredential's
-- version, with the evidence (files in `blob`, listed in `evidence_json`), the assessor's
-- signed decision (judgements per outcome in `assessment_json`; the signed statement is in the
-- audit log), and the award it led to.
CREATE TABLE prior_learning (
    id              INTEGER PRIMARY KEY,
    proposal_id     INTEGER NOT NULL REFERENCES proposal (id),
    version         INTEGER NOT NULL,
    learner_name    TEXT NOT NULL,
    learner_email   TEXT NOT NULL,
    learner_did     TEXT,
    statement       TEXT NOT NULL,
    evidence_json   TEXT NOT NULL DEFAULT '[]',
    opened_at       TEXT NOT NULL,
    opened_by       INTEGER REFERENCES person (id),
    state           TEXT NOT NULL DEFAULT 'open'
                    CHECK (state IN ('open', 'recognized', 'declined')),
    assessment_json TEXT,
    assessor_id     INTEGER REFERENCES person (id),
    decided_at      TEXT,
    award_id        TEXT REFERENCES award (id)
);
CREATE INDEX prior_learning_state ON prior_learning (state, opened_at);

-- Open Badges 2.0 assertions imported from a previous platform (issue 18, part 3): each
-- award made from one keeps the original (its bytes in `blob`, by hash), where it came from,
-- and what could be checked of it offline. One award per assertion.
CREATE TABLE ob2_import (
    award_id     TEXT PRIMARY KEY REFERENCES award (id),
    assertion_id TEXT,
    source_name  TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    checked      TEXT NOT NULL,
    imported_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX ob2_import_assertion ON ob2_import (assertion_id) WHERE assertion_id IS NOT NULL;
