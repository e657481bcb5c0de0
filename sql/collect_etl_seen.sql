-- A known ETL seen in this pass; a name learnt from the server's ETL list replaces the old.
UPDATE etl SET last_seen = :now, name = coalesce(:name, name) WHERE id = :etl;
