-- A known ETL seen in this pass; a name learnt from the server's ETL list replaces the old.
-- :gone as in collect_etl_add.sql.
UPDATE etl SET last_seen = :now, name = coalesce(:name, name),
    deleted_since = CASE :gone WHEN 1 THEN coalesce(deleted_since, :now) WHEN 0 THEN NULL
                    ELSE deleted_since END
WHERE id = :etl;
