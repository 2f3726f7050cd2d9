-- After a peer review session: the change agreed for each indicator (one of the verdicts, with
-- the agreed target when it is to amend one), and the audit record of the lifecycle change
-- Business Improvement made from it. One action per indicator: once `action_audit_id` is set
-- the item is done.
ALTER TABLE review_item ADD COLUMN agreed_change TEXT
    CHECK (agreed_change IN ('adequate', 'refine', 'replace', 'delete', 'amend_target'));
ALTER TABLE review_item ADD COLUMN agreed_value DOUBLE PRECISION;
ALTER TABLE review_item ADD COLUMN action_audit_id BIGINT REFERENCES audit_record (id);

-- The peer review session that agreed a change, when one did: the audit trail links back to it.
ALTER TABLE audit_record ADD COLUMN review_session_id BIGINT REFERENCES review_session (id);
