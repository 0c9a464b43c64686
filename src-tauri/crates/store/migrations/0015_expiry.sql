-- Expiry (issue 18, part 5): when each award stops being valid, its credential's
-- `validUntil`, kept beside the credential so "Things to do" finds the awards about to expire
-- without reading every credential. Filled for the awards already issued.
ALTER TABLE award ADD COLUMN valid_until TEXT;
UPDATE award SET valid_until = json_extract(credential_json, '$.validUntil')
    WHERE json_valid(credential_json);
CREATE INDEX award_valid_until ON award (valid_until) WHERE valid_until IS NOT NULL;
