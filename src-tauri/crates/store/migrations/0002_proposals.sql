-- The badge taxonomy: one row per term of a facet; terms in use are retired, never deleted.
CREATE TABLE taxonomy_term (
    id                  INTEGER PRIMARY KEY,
    facet               TEXT NOT NULL,
    code                TEXT NOT NULL,
    label               TEXT NOT NULL,
    rank                INTEGER NOT NULL,
    retired             INTEGER NOT NULL DEFAULT 0,
    colour              TEXT,
    shape               TEXT,
    participation_award INTEGER NOT NULL DEFAULT 0,
    credit_bearing      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (facet, code)
);

CREATE TABLE skill (
    id          INTEGER PRIMARY KEY,
    framework   TEXT NOT NULL,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    url         TEXT,
    UNIQUE (framework, code)
);

-- The institution's policy set, as the JSON of credence_domain::policy::PolicySet.
CREATE TABLE policy_set (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    rules_json TEXT NOT NULL
);

-- A proposal's current state; its content is the JSON of ProposalContent. The columns
-- beside it are copies for filtering and sorting in SQL.
CREATE TABLE proposal (
    id            INTEGER PRIMARY KEY,
    status        TEXT NOT NULL,
    title         TEXT NOT NULL,
    unit_id       INTEGER REFERENCES unit (id),
    category      TEXT,
    level         TEXT,
    credit_status TEXT,
    content_json  TEXT NOT NULL,
    created_by    INTEGER REFERENCES person (id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    -- The number of the last immutable version (0 while never submitted).
    version       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX proposal_status ON proposal (status, updated_at);
CREATE INDEX proposal_unit ON proposal (unit_id);

-- Each submitted state, frozen.
CREATE TABLE proposal_version (
    proposal_id  INTEGER NOT NULL REFERENCES proposal (id),
    version      INTEGER NOT NULL,
    status       TEXT NOT NULL,
    content_json TEXT NOT NULL,
    saved_at     TEXT NOT NULL,
    saved_by     INTEGER REFERENCES person (id),
    PRIMARY KEY (proposal_id, version)
);

-- Full-text index of titles, descriptions and outcomes, for search and the duplication check.
CREATE VIRTUAL TABLE proposal_text USING fts5 (title, description, outcomes, tokenize = 'porter unicode61');

-- Stackable pathways: the JSON of credence_domain::taxonomy::Pathway (rule and parts).
CREATE TABLE pathway (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    rule_json TEXT NOT NULL
);
CREATE TABLE pathway_part (
    pathway_id INTEGER NOT NULL REFERENCES pathway (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('credential', 'pathway')),
    target_id  INTEGER NOT NULL,
    PRIMARY KEY (pathway_id, position)
);
