-- Cases: every proposal row is a case the committee reviews. A new microcredential's
-- proposal (kind 'new', as every earlier row was), a change request or a termination
-- request against an active microcredential (microcredential_id: the microcredential's own
-- id, the proposal that created it).
ALTER TABLE proposal ADD COLUMN kind TEXT NOT NULL DEFAULT 'new';
ALTER TABLE proposal ADD COLUMN microcredential_id INTEGER REFERENCES microcredential (proposal_id);
CREATE INDEX proposal_microcredential ON proposal (microcredential_id);

-- What a change request says beyond its content: the version it starts from, why, the term
-- it takes effect, how learners are told, and the level the coordinator set (NULL: the
-- triage rules decide) with the reason when it was lowered.
CREATE TABLE change_request (
    case_id        INTEGER PRIMARY KEY REFERENCES proposal (id),
    base_version   INTEGER NOT NULL,
    rationale      TEXT NOT NULL DEFAULT '',
    effective_term TEXT,
    learner_notice TEXT NOT NULL DEFAULT '',
    level          TEXT,
    level_reason   TEXT
);

-- What a termination request says, and the impact Credence computed when it was made.
CREATE TABLE termination_request (
    case_id         INTEGER PRIMARY KEY REFERENCES proposal (id),
    reason          TEXT NOT NULL,
    last_intake_on  TEXT,
    teach_out_until TEXT NOT NULL,
    impact_json     TEXT NOT NULL
);

-- Each version is frozen with its content (JSON, read leniently: a later build may add
-- fields). Versions an earlier build recorded take theirs from the proposal's history.
ALTER TABLE microcredential_version ADD COLUMN content_json TEXT;
UPDATE microcredential_version SET content_json = (
    SELECT pv.content_json FROM proposal_version pv
     WHERE pv.proposal_id = microcredential_version.case_id
       AND pv.version = microcredential_version.number);

-- Routes for the new kinds of case, in a workspace that already has its routes (a new
-- workspace gets them with the shipped ones): a minor change is approved by a coordinator
-- and reported to the committee as an information item; a termination goes to the unit
-- head and the committee's vote. A major change takes the route its content picks.
INSERT INTO route (position, json)
SELECT 0, '{"id":0,"name":"Minor change","position":0,"when":{"credit_status":null,"academic_level":null,"category":null,"case":"minor_change"},"steps":[{"name":"Coordinator approval","kind":{"kind":"sign_off","actors":{"kind":"role","role":"coordinator"},"participation":{"kind":"one"}},"service_days":7},{"name":"Committee (information item)","kind":{"kind":"committee","information_only":true},"service_days":45}]}'
 WHERE EXISTS (SELECT 1 FROM route WHERE json NOT LIKE '%"case":"%');
INSERT INTO route (position, json)
SELECT 0, '{"id":0,"name":"Termination","position":0,"when":{"credit_status":null,"academic_level":null,"category":null,"case":"termination"},"steps":[{"name":"Unit head","kind":{"kind":"sign_off","actors":{"kind":"unit_approver"},"participation":{"kind":"one"}},"service_days":14},{"name":"Committee","kind":{"kind":"committee","information_only":false},"service_days":45}]}'
 WHERE EXISTS (SELECT 1 FROM route WHERE json NOT LIKE '%"case":"%');
