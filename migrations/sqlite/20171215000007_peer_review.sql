-- Peer review sessions: Cabinet members and Assistant Directors review indicators together,
-- facilitated by Business Improvement or an Assistant Director.

CREATE TABLE review_session (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    held_on         TEXT NOT NULL,                  -- ISO 8601 date
    facilitator_id  INTEGER NOT NULL REFERENCES person (id),
    state           TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'live', 'paused', 'ended')),
    created_at      TEXT NOT NULL
);

-- The agenda: the indicators to review, in the order the facilitator takes them.
CREATE TABLE review_item (
    session_id      INTEGER NOT NULL REFERENCES review_session (id),
    position        INTEGER NOT NULL,
    indicator_id    INTEGER NOT NULL REFERENCES indicator (id),
    PRIMARY KEY (session_id, position),
    UNIQUE (session_id, indicator_id)
);

-- Who may join. The facilitator always may.
CREATE TABLE review_invitation (
    session_id      INTEGER NOT NULL REFERENCES review_session (id),
    person_id       INTEGER NOT NULL REFERENCES person (id),
    PRIMARY KEY (session_id, person_id)
);
