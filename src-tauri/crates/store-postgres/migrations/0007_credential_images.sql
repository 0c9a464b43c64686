-- A badge image stored once, not inside every award's signed credential (SQLite's 0019): an
-- award keeps its credential with the image's text taken out at byte `image_at` and names the
-- image by `image_hash` (SHA-256 of the `data:` URI, hex); reading puts it back.
CREATE TABLE credential_image (
    hash     TEXT PRIMARY KEY,
    data_uri TEXT NOT NULL
);
ALTER TABLE award ADD COLUMN image_hash TEXT REFERENCES credential_image (hash) DEFERRABLE;
ALTER TABLE award ADD COLUMN image_at BIGINT;
