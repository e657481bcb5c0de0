-- The latest sample of one ETL: its status, or its error (index sample_etl_last, backwards).
SELECT status, error
FROM sample
WHERE etl_ref = :etl
ORDER BY last_seen DESC
LIMIT 1;
