-- A microcredential is its own record, apart from the cases the committee reviews: its
-- status (active, suspended, teach_out, retired), since when and why, its last periodic
-- review, and its versions,
-- each with the case whose decision approved it and the date it took effect. Every
-- microcredential an earlier build activated is active at the version it was activated
-- with, effective the day of its activation entry.
ALTER TABLE microcredential ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE microcredential ADD COLUMN status_since TEXT;
ALTER TABLE microcredential ADD COLUMN status_reason TEXT;
ALTER TABLE microcredential ADD COLUMN teach_out_until TEXT;
-- The day its last periodic review renewed it (none yet: due from its version's date).
ALTER TABLE microcredential ADD COLUMN last_reviewed_on TEXT;

CREATE TABLE microcredential_version (
    proposal_id    INTEGER NOT NULL REFERENCES microcredential (proposal_id),
    number         INTEGER NOT NULL,
    effective_from TEXT NOT NULL,
    case_id        INTEGER NOT NULL REFERENCES proposal (id),
    PRIMARY KEY (proposal_id, number)
);

INSERT INTO microcredential_version (proposal_id, number, effective_from, case_id)
    SELECT m.proposal_id, p.version,
           COALESCE(
               (SELECT substr(a.at, 1, 10) FROM audit_log a
                 WHERE a.entity = 'proposal' AND a.entity_id = CAST(m.proposal_id AS TEXT)
                   AND a.action = 'activate'
                 ORDER BY a.seq DESC LIMIT 1),
               substr(p.updated_at, 1, 10)),
           m.proposal_id
    FROM microcredential m JOIN proposal p ON p.id = m.proposal_id;

UPDATE microcredential SET status_since = (
    SELECT MAX(v.effective_from) FROM microcredential_version v
     WHERE v.proposal_id = microcredential.proposal_id);

-- The institution's academic calendar: the terms a change's effective term is chosen from.
CREATE TABLE academic_term (
    code      TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on   TEXT NOT NULL
);
