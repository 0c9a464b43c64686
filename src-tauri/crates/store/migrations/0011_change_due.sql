-- A change required by a periodic review is due, as a condition of that review, by a date.
ALTER TABLE change_request ADD COLUMN due_on TEXT;
