-- The ETLs an instance already has, read once per pass (index of UNIQUE (instance_id, etl_id)).
SELECT etl_id, id, deleted_since IS NOT NULL FROM etl WHERE instance_id = :instance
ORDER BY etl_id;
