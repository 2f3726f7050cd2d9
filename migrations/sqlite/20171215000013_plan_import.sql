-- A workbook uploaded to set up an empty plan, kept so its outcome (what was written, or
-- every problem found by sheet, row and column) can be shown and read again. Nothing is
-- written unless the whole workbook is right.
CREATE TABLE plan_import (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES person (id),
    imported_at     TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    written         TEXT,                          -- what was written, in words; NULL: nothing
    problems        TEXT NOT NULL                  -- JSON list of {sheet, row, column, message}
);
