-- An ETL new to the database (or listed twice in one pass): created or marked seen.
INSERT INTO etl (instance_id, etl_id, name, first_seen, last_seen)
VALUES (:instance, :etl_id, :name, :now, :now)
ON CONFLICT (instance_id, etl_id) DO UPDATE SET last_seen = excluded.last_seen,
    name = coalesce(excluded.name, name)
RETURNING id;
