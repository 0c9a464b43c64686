-- A version's review cycle (years) beside it, as frozen with its content: lists of every
-- microcredential (the periodic reviews due, "Things to do") read it without parsing each
-- version's whole content, which on a server is also megabytes over the network. Versions an
-- earlier build recorded without their content keep NULL here and are read from their case.
ALTER TABLE microcredential_version ADD COLUMN review_cycle_years INTEGER;
UPDATE microcredential_version
   SET review_cycle_years = json_extract(content_json, '$.review_cycle_years')
 WHERE content_json IS NOT NULL;
