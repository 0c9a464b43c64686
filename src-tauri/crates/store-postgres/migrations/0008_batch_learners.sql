-- A batch's roster in a table of its own (SQLite's 0020): batches started from now on keep an
-- empty text in `issue_batch.learners_json` and their roster here; batches started before keep
-- theirs where it is, and reading takes whichever holds it.
CREATE TABLE issue_batch_learners (
    batch_id      TEXT PRIMARY KEY REFERENCES issue_batch (id) DEFERRABLE,
    learners_json TEXT NOT NULL
);
