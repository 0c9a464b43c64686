-- Renewal (issue 18, part 5): an award may renew an earlier one of the same learner and
-- microcredential, issued with a new validity; the earlier one stays as it was (authentic
-- until its own expiry) and names no renewal itself, so the link is on the new award.
ALTER TABLE award ADD COLUMN renewal_of TEXT REFERENCES award (id);
CREATE INDEX award_renewal ON award (renewal_of) WHERE renewal_of IS NOT NULL;
