-- An ETL new to the database (or listed twice in one pass): created or marked seen. :gone is
-- 1 when the pass found it gone (HTTP 400, or missing from the ETL list), 0 when it found it
-- there, NULL when it cannot tell; gone keeps the first time it was found gone.
INSERT INTO etl (instance_id, etl_id, name, first_seen, last_seen, deleted_since)
VALUES (:instance, :etl_id, :name, :now, :now, CASE :gone WHEN 1 THEN :now END)
ON CONFLICT (instance_id, etl_id) DO UPDATE SET last_seen = excluded.last_seen,
    name = coalesce(excluded.name, name),
    deleted_since = CASE :gone WHEN 1 THEN coalesce(deleted_since, :now) WHEN 0 THEN NULL
                    ELSE deleted_since END
RETURNING id;
