-- Defences against hostile people: sign-in attempts counted per username and client address,
-- a secret that seals the messages refused forms carry in the address, and the seals of the
-- audit trail under a key kept outside the database.

-- Failed sign-ins, per username (known or not) and client address, counted as each attempt
-- begins; times are seconds since 1970. A lock on one pair leaves the person free to sign in
-- from elsewhere.
CREATE TABLE sign_in_attempt (
    username     TEXT NOT NULL,
    address      TEXT NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0,
    last_at      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (username, address)
);
CREATE INDEX sign_in_attempt_by_age ON sign_in_attempt (last_at);
ALTER TABLE account DROP COLUMN failed_attempts;
ALTER TABLE account DROP COLUMN locked_until;

-- Secrets of the site's own, shared by every server on this database.
CREATE TABLE site_secret (
    purpose TEXT PRIMARY KEY,
    secret  TEXT NOT NULL
);

-- HMAC-SHA-256 seals, under the audit key kept outside the database, of each record's hash
-- and of the head (so records cut from the end show too). `key_id` names the key.
CREATE TABLE audit_seal (
    record_id INTEGER PRIMARY KEY REFERENCES audit_record (id),
    seal      TEXT NOT NULL
);
ALTER TABLE audit_head ADD COLUMN seal TEXT;
ALTER TABLE audit_head ADD COLUMN key_id TEXT;
