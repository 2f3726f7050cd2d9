-- The map names the plan's councils (its filter), so adding or renaming one moves the data
-- version on like any other change to what the map shows.
CREATE TRIGGER organisation_changed AFTER INSERT OR UPDATE OR DELETE ON organisation
FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
CREATE TRIGGER plan_organisation_changed AFTER INSERT OR UPDATE OR DELETE ON plan_organisation
FOR EACH STATEMENT EXECUTE FUNCTION move_data_version();
