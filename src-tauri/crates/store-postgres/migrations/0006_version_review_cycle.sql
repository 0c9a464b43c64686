-- A version's review cycle (years) beside it, as frozen with its content (SQLite's 0018): lists
-- of every microcredential read it without fetching and parsing each version's whole content.
ALTER TABLE microcredential_version ADD COLUMN review_cycle_years BIGINT;
UPDATE microcredential_version
   SET review_cycle_years = (content_json::jsonb ->> 'review_cycle_years')::bigint
 WHERE content_json IS NOT NULL;
