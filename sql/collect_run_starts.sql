-- The latest run starts of one ETL (server clock), newest first: what follow learns the
-- ETL's schedule from (index run_etl_start, backwards; at most :limit rows).
SELECT r.start_ts
FROM instance i
JOIN etl e ON e.instance_id = i.id AND e.etl_id = :etl_id
JOIN run r ON r.etl_ref = e.id
WHERE i.name = :instance
ORDER BY r.start_ts DESC
LIMIT :limit;
