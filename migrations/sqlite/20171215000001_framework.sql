-- The performance framework of a Joint Strategic Plan: who takes part, what the plan holds,
-- and what is measured. Written in SQL that PostgreSQL also accepts.

CREATE TABLE organisation (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE,              -- 'babergh', 'mid-suffolk'
    name    TEXT NOT NULL
);

CREATE TABLE plan (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    starts_on   TEXT NOT NULL,                 -- ISO 8601 dates
    ends_on     TEXT NOT NULL
);

CREATE TABLE plan_organisation (
    plan_id         INTEGER NOT NULL REFERENCES plan (id),
    organisation_id INTEGER NOT NULL REFERENCES organisation (id),
    PRIMARY KEY (plan_id, organisation_id)
);

CREATE TABLE person (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    job_title       TEXT NOT NULL,
    email           TEXT NOT NULL UNIQUE,
    organisation_id INTEGER REFERENCES organisation (id)    -- NULL: works for both councils
);

CREATE TABLE theme (
    id                      INTEGER PRIMARY KEY,
    plan_id                 INTEGER NOT NULL REFERENCES plan (id),
    position                INTEGER NOT NULL,
    title                   TEXT NOT NULL,
    scope_note              TEXT,               -- e.g. 'housing related only'
    assistant_director_id   INTEGER REFERENCES person (id)
);

CREATE TABLE outcome (
    id          INTEGER PRIMARY KEY,
    theme_id    INTEGER NOT NULL REFERENCES theme (id),
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL
);

-- An output is one hexagon of the JSP map; its cell on the map is data, not code.
CREATE TABLE output (
    id          INTEGER PRIMARY KEY,
    outcome_id  INTEGER NOT NULL REFERENCES outcome (id),
    code        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    short_title TEXT NOT NULL,                  -- two short lines inside the hexagon
    hex_q       INTEGER NOT NULL,
    hex_r       INTEGER NOT NULL,
    UNIQUE (hex_q, hex_r)
);

-- Several Portfolio Holders may share one output.
CREATE TABLE portfolio_holder (
    output_id   INTEGER NOT NULL REFERENCES output (id),
    person_id   INTEGER NOT NULL REFERENCES person (id),
    portfolio   TEXT NOT NULL,                  -- e.g. 'Environment'
    PRIMARY KEY (output_id, person_id)
);

CREATE TABLE risk (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,           -- Strategic Risk Register reference
    title       TEXT NOT NULL,
    likelihood  INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 4),
    impact      INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 4),
    owner_id    INTEGER REFERENCES person (id)
);

CREATE TABLE indicator (
    id                          INTEGER PRIMARY KEY,
    code                        TEXT NOT NULL UNIQUE,
    title                       TEXT NOT NULL,
    definition                  TEXT NOT NULL,
    kind                        TEXT NOT NULL CHECK (kind IN ('tracking', 'influencing')),
    unit                        TEXT NOT NULL CHECK (unit IN ('percent', 'count', 'days', 'pounds', 'kg', 'seconds', 'weeks', 'score')),
    polarity                    TEXT NOT NULL CHECK (polarity IN ('higher', 'lower', 'data_only')),
    frequency                   TEXT NOT NULL DEFAULT 'quarterly' CHECK (frequency IN ('quarterly', 'half_yearly', 'annual')),
    cumulative                  BOOLEAN NOT NULL DEFAULT FALSE,
    joint                       BOOLEAN NOT NULL DEFAULT FALSE,  -- one value for both councils
    data_owner_id               INTEGER REFERENCES person (id),
    key_to_delivery             BOOLEAN NOT NULL DEFAULT FALSE,
    financial_sensitivity       BOOLEAN NOT NULL DEFAULT FALSE,
    political_sensitivity       BOOLEAN NOT NULL DEFAULT FALSE,
    reputational_sensitivity    BOOLEAN NOT NULL DEFAULT FALSE,
    external_metric_id          TEXT,                            -- e.g. an LG Inform metric
    lifecycle                   TEXT NOT NULL DEFAULT 'active' CHECK (lifecycle IN ('proposed', 'active', 'deleted'))
);

-- An indicator tracks or influences one or more outputs; one is its home (primary) output.
CREATE TABLE indicator_output (
    indicator_id    INTEGER NOT NULL REFERENCES indicator (id),
    output_id       INTEGER NOT NULL REFERENCES output (id),
    is_primary      BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (indicator_id, output_id)
);
CREATE INDEX indicator_output_by_output ON indicator_output (output_id);

-- Indicators that mitigate a risk on the Strategic Risk Register.
CREATE TABLE indicator_risk (
    indicator_id    INTEGER NOT NULL REFERENCES indicator (id),
    risk_id         INTEGER NOT NULL REFERENCES risk (id),
    PRIMARY KEY (indicator_id, risk_id)
);

-- A target per indicator, financial year (optionally quarter) and council; organisation_id
-- NULL is a joint target for both councils.
CREATE TABLE target (
    id                  INTEGER PRIMARY KEY,
    indicator_id        INTEGER NOT NULL REFERENCES indicator (id),
    organisation_id     INTEGER REFERENCES organisation (id),
    financial_year      INTEGER NOT NULL,          -- 2017 is 2017/18
    quarter             INTEGER CHECK (quarter BETWEEN 1 AND 4),  -- NULL: the annual target
    value               DOUBLE PRECISION NOT NULL,
    amber_tolerance     DOUBLE PRECISION NOT NULL DEFAULT 10 CHECK (amber_tolerance BETWEEN 0 AND 50),
    version             INTEGER NOT NULL DEFAULT 1, -- optimistic concurrency for inline edits
    set_by_id           INTEGER REFERENCES person (id),
    set_at              TEXT NOT NULL
);
CREATE UNIQUE INDEX target_once ON target (indicator_id, COALESCE(organisation_id, 0), financial_year, COALESCE(quarter, 0));

-- A value for indicator × quarter × council (organisation_id NULL: joint), with commentary.
CREATE TABLE measurement (
    id                  INTEGER PRIMARY KEY,
    indicator_id        INTEGER NOT NULL REFERENCES indicator (id),
    organisation_id     INTEGER REFERENCES organisation (id),
    financial_year      INTEGER NOT NULL,
    quarter             INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    value               DOUBLE PRECISION NOT NULL,
    commentary          TEXT NOT NULL DEFAULT '',
    entered_by_id       INTEGER REFERENCES person (id),
    entered_at          TEXT NOT NULL
);
CREATE UNIQUE INDEX measurement_once ON measurement (indicator_id, COALESCE(organisation_id, 0), financial_year, quarter);
CREATE INDEX measurement_by_period ON measurement (financial_year, quarter);

-- Narrative per outcome per half-year, for the Cabinet report.
CREATE TABLE achievement (
    id              INTEGER PRIMARY KEY,
    outcome_id      INTEGER NOT NULL REFERENCES outcome (id),
    financial_year  INTEGER NOT NULL,
    half            INTEGER NOT NULL CHECK (half IN (1, 2)),
    achievements    TEXT NOT NULL,
    impacts         TEXT NOT NULL,
    written_by_id   INTEGER REFERENCES person (id),
    written_at      TEXT NOT NULL,
    UNIQUE (outcome_id, financial_year, half)
);

-- The audit trail: every change to the framework (indicators, targets, links, people and
-- roles), written in the same transaction as the change. Append-only, and chained: each
-- record's hash covers its content and the previous record's hash, so editing or deleting a
-- record later breaks the chain (`hexplan audit verify` names the first broken record). The
-- change summary is computed from these records.
CREATE TABLE audit_record (
    id              INTEGER PRIMARY KEY,
    recorded_at     TEXT NOT NULL,                 -- ISO 8601 timestamp, UTC
    actor_id        INTEGER REFERENCES person (id),
    action          TEXT NOT NULL,                 -- proposed, new, confirmed, refined, amended_target, deleted, …
    indicator_id    INTEGER REFERENCES indicator (id),
    subject         TEXT NOT NULL,                 -- what changed, in words
    value_before    TEXT,
    value_after     TEXT,
    reason          TEXT NOT NULL,
    previous_hash   TEXT NOT NULL UNIQUE,          -- one successor per record: the chain cannot fork
    hash            TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_record_by_indicator ON audit_record (indicator_id, recorded_at);
CREATE INDEX audit_record_by_date ON audit_record (recorded_at);

CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_record
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER audit_record_no_delete BEFORE DELETE ON audit_record
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
