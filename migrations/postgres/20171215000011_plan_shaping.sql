-- A plan shapes itself: it names its own partner councils and what its pages' header says,
-- so nothing in the code names a council. The short name is what tables, filters and charts
-- show ("Babergh"); the ONS area code (e.g. E07000200) is optional.

ALTER TABLE organisation ADD COLUMN short_name TEXT NOT NULL DEFAULT '';
ALTER TABLE organisation ADD COLUMN ons_code TEXT;
UPDATE organisation SET short_name = name WHERE short_name = '';

-- The line under the service's name on every page, e.g. "Babergh and Mid Suffolk District
-- Councils"; empty means the councils' names.
ALTER TABLE plan ADD COLUMN header TEXT NOT NULL DEFAULT '';
-- Whether the plan holds the demonstration data (its pages then say so).
ALTER TABLE plan ADD COLUMN demonstration BOOLEAN NOT NULL DEFAULT FALSE;

-- Themes, outcomes and outputs leave the plan by being retired, not deleted: the day they
-- left is kept, so the history that names them still reads. A retired output gives up its
-- cell (it moves far off the map), so it never holds one another output wants.
ALTER TABLE theme ADD COLUMN retired_on TEXT;
ALTER TABLE outcome ADD COLUMN retired_on TEXT;
ALTER TABLE output ADD COLUMN retired_on TEXT;
