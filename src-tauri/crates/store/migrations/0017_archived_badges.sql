-- An Open Badges 2.0 badge class that matched no microcredential, imported as a retired
-- ("archived") microcredential of its own: which badge (its id, else its name) became which
-- microcredential, so a later import of the same badge's assertions finds it again.
CREATE TABLE ob2_badge (
    badge_key   TEXT PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES microcredential (proposal_id),
    created_at  TEXT NOT NULL
);
