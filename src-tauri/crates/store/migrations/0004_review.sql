-- Committee review: routes, the steps each proposal passes through (the service clock),
-- sign-offs, the committee, meetings, motions and votes, decisions' conditions, and each
-- person's signing key. Signed statements are kept in the audit entries that record them.

-- A review route: the JSON of credence_domain::review::Route without its id.
CREATE TABLE route (
    id        INTEGER PRIMARY KEY,
    position  INTEGER NOT NULL,
    json      TEXT NOT NULL
);

-- Each step a proposal has reached; the open one has no left_at.
CREATE TABLE proposal_step (
    id          INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposal (id),
    route_id    INTEGER NOT NULL REFERENCES route (id),
    step_index  INTEGER NOT NULL,
    name        TEXT NOT NULL,
    entered_at  TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    left_at     TEXT,
    outcome     TEXT
);
CREATE INDEX proposal_step_open ON proposal_step (proposal_id, left_at);

CREATE TABLE sign_off (
    id          INTEGER PRIMARY KEY,
    step_id     INTEGER NOT NULL REFERENCES proposal_step (id),
    person_id   INTEGER NOT NULL REFERENCES person (id),
    approve     INTEGER NOT NULL,
    comment     TEXT NOT NULL,
    at          TEXT NOT NULL,
    UNIQUE (step_id, person_id)
);

CREATE TABLE committee_member (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES person (id),
    seat          TEXT NOT NULL,
    alternate_for INTEGER REFERENCES person (id),
    term_start    TEXT NOT NULL,
    term_end      TEXT NOT NULL
);

-- A member's conflict of interest on a proposal (also those recused by default).
CREATE TABLE recusal (
    proposal_id INTEGER NOT NULL REFERENCES proposal (id),
    person_id   INTEGER NOT NULL REFERENCES person (id),
    reason      TEXT NOT NULL,
    PRIMARY KEY (proposal_id, person_id)
);

CREATE TABLE meeting (
    id        INTEGER PRIMARY KEY,
    title     TEXT NOT NULL,
    held_on   TEXT NOT NULL,
    status    TEXT NOT NULL CHECK (status IN ('scheduled', 'open', 'closed')),
    -- An electronic vote between meetings: votes are taken until this instant (UTC).
    deadline  TEXT
);

CREATE TABLE agenda_item (
    meeting_id  INTEGER NOT NULL REFERENCES meeting (id),
    position    INTEGER NOT NULL,
    proposal_id INTEGER NOT NULL REFERENCES proposal (id),
    outcome     TEXT,
    PRIMARY KEY (meeting_id, proposal_id)
);

CREATE TABLE attendance (
    meeting_id INTEGER NOT NULL REFERENCES meeting (id),
    person_id  INTEGER NOT NULL REFERENCES person (id),
    PRIMARY KEY (meeting_id, person_id)
);

CREATE TABLE motion (
    id            INTEGER PRIMARY KEY,
    meeting_id    INTEGER NOT NULL REFERENCES meeting (id),
    proposal_id   INTEGER NOT NULL REFERENCES proposal (id),
    decision_json TEXT NOT NULL,
    moved_by      INTEGER NOT NULL REFERENCES person (id),
    seconded_by   INTEGER NOT NULL REFERENCES person (id),
    status        TEXT NOT NULL CHECK (status IN ('open', 'carried', 'failed')),
    tally_json    TEXT
);

CREATE INDEX motion_meeting ON motion (meeting_id);
CREATE INDEX motion_open ON motion (status);

CREATE TABLE vote (
    id        INTEGER PRIMARY KEY,
    motion_id INTEGER NOT NULL REFERENCES motion (id),
    person_id INTEGER NOT NULL REFERENCES person (id),
    choice    TEXT NOT NULL CHECK (choice IN ('for', 'against', 'abstain')),
    at        TEXT NOT NULL,
    UNIQUE (motion_id, person_id)
);

CREATE TABLE condition (
    id          INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposal (id),
    text        TEXT NOT NULL,
    owner_id    INTEGER NOT NULL REFERENCES person (id),
    due_on      TEXT NOT NULL,
    met_at      TEXT,
    met_note    TEXT
);

CREATE INDEX condition_proposal ON condition (proposal_id);
CREATE INDEX sign_off_person ON sign_off (person_id);
CREATE INDEX vote_person ON vote (person_id);

-- A person's Ed25519 keys: the JSON of credence_vc::keys::SealedKey (private half sealed).
-- Old keys stay, to verify what they signed.
CREATE TABLE person_key (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES person (id),
    public_key TEXT NOT NULL UNIQUE,
    sealed     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    retired_at TEXT
);

-- Reviewers the coordinator assigns, and the rubric scores they give.
CREATE TABLE reviewer (
    proposal_id INTEGER NOT NULL REFERENCES proposal (id),
    person_id   INTEGER NOT NULL REFERENCES person (id),
    role        TEXT NOT NULL CHECK (role IN ('primary', 'secondary')),
    assigned_at TEXT NOT NULL,
    scores_json TEXT,
    scored_at   TEXT,
    PRIMARY KEY (proposal_id, person_id)
);
CREATE INDEX reviewer_person ON reviewer (person_id);

-- Comments anchored to a proposal field, threaded; never deleted. Each edit adds a text.
CREATE TABLE comment (
    id          INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposal (id),
    parent_id   INTEGER REFERENCES comment (id),
    field       TEXT NOT NULL,
    visibility  TEXT NOT NULL CHECK (visibility IN ('committee', 'proposer')),
    author_id   INTEGER NOT NULL REFERENCES person (id),
    created_at  TEXT NOT NULL
);
CREATE INDEX comment_proposal ON comment (proposal_id);
CREATE TABLE comment_text (
    comment_id INTEGER NOT NULL REFERENCES comment (id),
    version    INTEGER NOT NULL,
    text       TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (comment_id, version)
);
