-- The quarterly returns cycle and the reports to Cabinet.

-- A quarter opened for returns: data owners enter its values until Business Improvement
-- closes it; reopening it lets them enter again. Both are recorded in the audit trail.
CREATE TABLE return_period (
    financial_year  INTEGER NOT NULL,
    quarter         INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    deadline        TEXT NOT NULL,                 -- ISO 8601 date the values are due
    closed_at       TEXT,                          -- NULL while open
    closed_by_id    INTEGER REFERENCES person (id),
    PRIMARY KEY (financial_year, quarter)
);

-- An attempt to import values from a spreadsheet, kept so its outcome (what was written, or
-- every problem found) can be shown and read again. Nothing is written unless every row is right.
CREATE TABLE value_import (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES person (id),
    imported_at     TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    rows_read       INTEGER NOT NULL,
    rows_written    INTEGER NOT NULL,              -- values that changed
    problems        TEXT NOT NULL                  -- JSON list of {row, column, message}
);

-- A report to Cabinet for a half-year, or a quarterly update. Publishing freezes it: its
-- document is stored exactly as published, with its SHA-256, and can never change again.
CREATE TABLE report (
    id              INTEGER PRIMARY KEY,
    financial_year  INTEGER NOT NULL,
    half            INTEGER CHECK (half IN (1, 2)),            -- a half-yearly report
    quarter         INTEGER CHECK (quarter BETWEEN 1 AND 4),   -- a quarterly update
    created_by_id   INTEGER REFERENCES person (id),
    created_at      TEXT NOT NULL,
    published_at    TEXT,
    published_by_id INTEGER REFERENCES person (id),
    document        BLOB,
    sha256          TEXT,
    CHECK ((half IS NULL) <> (quarter IS NULL)),
    CHECK ((published_at IS NULL) = (document IS NULL) AND (document IS NULL) = (sha256 IS NULL))
);
CREATE UNIQUE INDEX report_once ON report (financial_year, COALESCE(half, 0), COALESCE(quarter, 0));

CREATE TRIGGER report_frozen BEFORE UPDATE ON report WHEN OLD.published_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a published report is frozen'); END;
CREATE TRIGGER report_kept BEFORE DELETE ON report WHEN OLD.published_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a published report is kept'); END;
