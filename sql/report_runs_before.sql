-- Runs of one ETL that started before :until, newest first; the caller stops reading as
-- soon as it has the latest run and the failure streak (index run_etl_start, backwards).
SELECT start_ts, outcome
FROM run
WHERE etl_ref = :etl AND start_ts < :until
ORDER BY start_ts DESC, id DESC;
