-- Who may sign in, with which roles, and their sessions.

-- A person's sign-in: the password is stored only as an Argon2id hash (PHC string).
CREATE TABLE account (
    person_id           BIGINT PRIMARY KEY REFERENCES person (id),
    username            TEXT NOT NULL UNIQUE,
    password_hash       TEXT NOT NULL,
    failed_attempts     INTEGER NOT NULL DEFAULT 0,
    locked_until        TEXT                        -- ISO 8601; repeated failures slow sign-in down
);

-- One person may hold several roles.
CREATE TABLE role_grant (
    person_id   BIGINT NOT NULL REFERENCES person (id),
    role        TEXT NOT NULL CHECK (role IN ('scrutiny', 'data_owner', 'portfolio_holder', 'assistant_director', 'business_improvement')),
    PRIMARY KEY (person_id, role)
);

-- A signed-in browser. Only the SHA-256 of the cookie's token is kept, so a copy of the
-- database cannot be used to sign in.
CREATE TABLE session (
    token_hash  TEXT PRIMARY KEY,
    person_id   BIGINT NOT NULL REFERENCES person (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX session_by_person ON session (person_id);
