-- A batch's roster in a table of its own (issue 15). Kept in the `issue_batch` row, the roster
-- (about 700 KB of JSON for 10,000 learners) was written again by every update of that row:
-- each committed chunk's `done` and each synced run of files' `files_done`, a tenth of the
-- storing work of a JSON-only batch. Batches started from now on keep an empty text in
-- `issue_batch.learners_json` and their roster here; batches started before keep theirs where
-- it is (a migration adds, it does not rewrite), and reading takes whichever holds it.
CREATE TABLE issue_batch_learners (
    batch_id      TEXT PRIMARY KEY REFERENCES issue_batch (id),
    learners_json TEXT NOT NULL
);
