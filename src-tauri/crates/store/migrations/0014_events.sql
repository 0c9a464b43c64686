-- Issuance events (issue 15, part 2): a coordinator exports an event package (chosen
-- microcredentials, a dedicated event issuing key, a status list reserved for the event);
-- an event laptop opens it as an event workspace that can only issue and revoke its own
-- awards; the event's return package is merged back.
--
-- The same table serves both sides: in the workspace that exported the event the row's
-- `side` is 'exported'; in the event workspace made from the package it is 'held' (one row).
CREATE TABLE event (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    side             TEXT NOT NULL CHECK (side IN ('exported', 'held')),
    issuer_key_id    INTEGER NOT NULL REFERENCES issuer_key (id),
    status_list_id   INTEGER NOT NULL REFERENCES status_list (id),
    -- JSON array of the microcredentials' proposal ids.
    microcredentials TEXT NOT NULL,
    exported_at      TEXT NOT NULL,
    exported_by      INTEGER REFERENCES person (id),
    -- SHA-256 of the package file (exported side) and of the return package (both sides).
    package_sha256   TEXT,
    finished_at      TEXT,
    return_sha256    TEXT,
    merged_at        TEXT,
    merged_by        INTEGER REFERENCES person (id),
    -- JSON of what the merge found (awards, revocations, learners awarded in both places).
    merge_report     TEXT
);

-- In the exporting workspace, an event's key is an issuer key of the institution that never
-- signs the institution's own credentials: the current key is the newest one with no event.
ALTER TABLE issuer_key ADD COLUMN event_id TEXT REFERENCES event (id);

-- The event's audit entries as the event workspace wrote and signed them, kept verbatim
-- after a merge (the merge's own entry in this workspace's chain names their head hash).
CREATE TABLE event_entry (
    event_id   TEXT NOT NULL REFERENCES event (id),
    seq        INTEGER NOT NULL,
    entry_json TEXT NOT NULL,
    PRIMARY KEY (event_id, seq)
);
