-- A review route that proposals have travelled is never edited in place: a change makes a
-- new route and the old one points at it, so every proposal keeps the steps it was routed
-- through. Only routes with no replacement are offered for new proposals.
ALTER TABLE route ADD COLUMN replaced_by INTEGER REFERENCES route (id);
