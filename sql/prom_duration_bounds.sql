-- The upper duration bounds of one ETL's latest runs with a known duration, newest first:
-- what its duration limit is learnt from (index run_etl_start, backwards).
SELECT dur_hi_s
FROM run
WHERE etl_ref = :etl AND dur_hi_s IS NOT NULL
ORDER BY start_ts DESC
LIMIT :limit;
