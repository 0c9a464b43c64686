-- Issuing a roster is a batch: a job with an id, committed in chunks, that a killed process
-- (or the window's "Resume") finishes. The learners are kept as checked when it started, with
-- every blank completion date filled with the day it started, so a batch resumed the next day
-- issues the same awards, not new ones; `done` counts the roster rows issued (or found already
-- issued) in committed chunks, in roster order.
CREATE TABLE issue_batch (
    id            TEXT PRIMARY KEY,
    proposal_id   INTEGER NOT NULL REFERENCES proposal (id),
    -- The microcredential version and language fixed when the batch started.
    version       INTEGER NOT NULL,
    language      TEXT NOT NULL,
    -- SHA-256 of the roster as given, so the same command finds its unfinished batch.
    roster_digest TEXT NOT NULL,
    learners_json TEXT NOT NULL,
    total         INTEGER NOT NULL,
    done          INTEGER NOT NULL DEFAULT 0,
    state         TEXT NOT NULL CHECK (state IN ('running', 'cancelled', 'finished', 'closed')),
    started_on    TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    started_by    INTEGER REFERENCES person (id),
    finished_at   TEXT,
    -- Where the command line writes the awards' files, in which formats, and how many rows'
    -- files are complete and synced to the disk.
    out_dir       TEXT,
    formats       TEXT,
    files_done    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX issue_batch_roster ON issue_batch (proposal_id, roster_digest);
-- The batch an award was issued by (none for one learner issued by hand, or before batches).
ALTER TABLE award ADD COLUMN batch_id TEXT REFERENCES issue_batch (id);
CREATE INDEX award_batch ON award (batch_id) WHERE batch_id IS NOT NULL;
-- An award names the award it corrects through `superseded_by` on the old one: without an
-- index every award read scanned the whole table for it.
CREATE INDEX award_superseded ON award (superseded_by) WHERE superseded_by IS NOT NULL;
