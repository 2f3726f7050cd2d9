-- A counter that every change to what the map shows moves on, so a server can keep the map
-- it last computed until the data changes. Triggers keep it true whatever code writes.

CREATE TABLE data_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

CREATE TRIGGER measurement_inserted AFTER INSERT ON measurement BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER measurement_updated AFTER UPDATE ON measurement BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER measurement_deleted AFTER DELETE ON measurement BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER target_inserted AFTER INSERT ON target BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER target_updated AFTER UPDATE ON target BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER target_deleted AFTER DELETE ON target BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER indicator_inserted AFTER INSERT ON indicator BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER indicator_updated AFTER UPDATE ON indicator BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER indicator_deleted AFTER DELETE ON indicator BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER indicator_output_inserted AFTER INSERT ON indicator_output BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER indicator_output_updated AFTER UPDATE ON indicator_output BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER indicator_output_deleted AFTER DELETE ON indicator_output BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER output_inserted AFTER INSERT ON output BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER output_updated AFTER UPDATE ON output BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER output_deleted AFTER DELETE ON output BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER outcome_inserted AFTER INSERT ON outcome BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER outcome_updated AFTER UPDATE ON outcome BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER outcome_deleted AFTER DELETE ON outcome BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER theme_inserted AFTER INSERT ON theme BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER theme_updated AFTER UPDATE ON theme BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER theme_deleted AFTER DELETE ON theme BEGIN UPDATE data_version SET version = version + 1; END;

-- The map reads one year's targets at a time.
CREATE INDEX target_by_year ON target (financial_year);
