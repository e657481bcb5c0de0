-- A configured ETL gets a row even from a pass that polled nothing (its name comes with the
-- ETL list, later); one the database has is left as it is.
INSERT INTO etl (instance_id, etl_id, name, first_seen, last_seen)
VALUES (:instance, :etl_id, :name, :now, :now)
ON CONFLICT (instance_id, etl_id) DO NOTHING;
