-- A badge image stored once, not inside every award's signed credential (issue 15). The
-- image is a `data:` URI of kilobytes (three quarters of a credential), the same for every
-- learner of a version: a batch of 10,000 wrote it 10,000 times into the file and its
-- write-ahead log. An award stored from now on keeps its credential with the image's text
-- taken out at byte `image_at` and names the image by `image_hash` (SHA-256 of the URI, hex);
-- reading puts it back, byte for byte. Awards stored before keep their credential whole
-- (both columns NULL), and so does any credential whose image is not found in its text.
CREATE TABLE credential_image (
    hash     TEXT PRIMARY KEY,
    data_uri TEXT NOT NULL
);
ALTER TABLE award ADD COLUMN image_hash TEXT REFERENCES credential_image (hash);
ALTER TABLE award ADD COLUMN image_at INTEGER;
