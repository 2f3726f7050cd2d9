-- The head of the audit trail: how many records it holds and the newest one's hash, kept by
-- a trigger as each record is appended. The chain shows any record edited or deleted in the
-- middle; the head shows records deleted from the end, which leave no gap in the chain.
CREATE TABLE audit_head (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    records INTEGER NOT NULL,
    hash    TEXT NOT NULL
);
INSERT INTO audit_head (id, records, hash)
SELECT 1, COUNT(*), COALESCE((SELECT hash FROM audit_record ORDER BY id DESC LIMIT 1),
                             '0000000000000000000000000000000000000000000000000000000000000000')
FROM audit_record;

CREATE FUNCTION advance_audit_head() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN UPDATE audit_head SET records = records + 1, hash = NEW.hash; RETURN NULL; END $$;

CREATE TRIGGER audit_record_appended AFTER INSERT ON audit_record
FOR EACH ROW EXECUTE FUNCTION advance_audit_head();
