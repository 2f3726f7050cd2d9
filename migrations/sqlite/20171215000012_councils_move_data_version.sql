-- The map names the plan's councils (its filter), so adding or renaming one moves the data
-- version on like any other change to what the map shows.
CREATE TRIGGER organisation_inserted AFTER INSERT ON organisation BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER organisation_updated AFTER UPDATE ON organisation BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER organisation_deleted AFTER DELETE ON organisation BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER plan_organisation_inserted AFTER INSERT ON plan_organisation BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER plan_organisation_deleted AFTER DELETE ON plan_organisation BEGIN UPDATE data_version SET version = version + 1; END;
