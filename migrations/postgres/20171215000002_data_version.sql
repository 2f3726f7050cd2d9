-- A counter that every change to what the map shows moves on, so a server can keep the map
-- it last computed until the data changes. Triggers keep it true whatever code writes.

CREATE TABLE data_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

-- Once per transaction is enough (readers compare versions after it commits), and updating
-- the one row again for every statement of a long import would make each update walk every
-- version the transaction left before it.
CREATE FUNCTION move_data_version() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('hexplan.data_version_moved', true) IS DISTINCT FROM 'yes' THEN
        UPDATE data_version SET version = version + 1;
        PERFORM set_config('hexplan.data_version_moved', 'yes', true);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER measurement_changed AFTER INSERT OR UPDATE OR DELETE ON measurement
FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER target_changed AFTER INSERT OR UPDATE OR DELETE ON target
FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER indicator_changed AFTER INSERT OR UPDATE OR DELETE ON indicator
FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER indicator_output_changed AFTER INSERT OR UPDATE OR DELETE ON indicator_output
FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER output_changed AFTER INSERT OR UPDATE OR DELETE ON output
FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER outcome_changed AFTER INSERT OR UPDATE OR DELETE ON outcome
FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER theme_changed AFTER INSERT OR UPDATE OR DELETE ON theme
FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();

-- The map reads one year's targets at a time.
CREATE INDEX target_by_year ON target (financial_year);
