-- Certificate templates (the JSON of `credence_domain::certificate::TemplateInput`), chosen
-- by category and level, and the signature images they show.

CREATE TABLE certificate_template (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    category   TEXT,
    level      TEXT,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- One template per category and level pair (NULL meaning "any").
CREATE UNIQUE INDEX certificate_template_applies
    ON certificate_template (coalesce(category, ''), coalesce(level, ''));

-- Signature images, PNG scaled to at most 600x200 pixels, named by their SHA-256.
CREATE TABLE signature_image (
    sha256 TEXT PRIMARY KEY,
    png    BLOB NOT NULL
);
