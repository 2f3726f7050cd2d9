-- Running a peer review session: where the facilitator is, each participant's verdict on each
-- indicator, and the outcome agreed for it. `version` moves on at every change, so a client
-- that missed something can tell and read the whole state again.
ALTER TABLE review_session ADD COLUMN current_position INTEGER;
ALTER TABLE review_session ADD COLUMN show_names BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE review_session ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

ALTER TABLE review_item ADD COLUMN agreed_outcome TEXT;
ALTER TABLE review_item ADD COLUMN action_owner_id BIGINT REFERENCES person (id);

-- One verdict per participant per indicator: sending it again replaces it, so a resent
-- verdict is never counted twice.
CREATE TABLE review_verdict (
    session_id      BIGINT NOT NULL REFERENCES review_session (id),
    indicator_id    BIGINT NOT NULL REFERENCES indicator (id),
    person_id       BIGINT NOT NULL REFERENCES person (id),
    verdict         TEXT NOT NULL CHECK (verdict IN ('adequate', 'refine', 'replace', 'delete', 'amend_target')),
    proposed_value  DOUBLE PRECISION,
    comment         TEXT NOT NULL DEFAULT '',
    recorded_at     TEXT NOT NULL,
    PRIMARY KEY (session_id, indicator_id, person_id)
);
