-- A review route that proposals have travelled is never edited in place: a change makes a
-- new route and the old one points at it, so every proposal keeps the steps it was routed
-- through. Only routes with no replacement are offered for new proposals.
ALTER TABLE route ADD COLUMN replaced_by INTEGER REFERENCES route (id);

-- Signing-key custody is checked from here on. Earlier builds let a person create a second
-- key beside their first; entries up to this one are history under those rules, not failures.
INSERT INTO setting (key, value)
    SELECT 'key_custody_from_seq', CAST(COALESCE(MAX(seq), 0) AS TEXT) FROM audit_log;
