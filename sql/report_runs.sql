-- Runs of one ETL that started in [:since, :until), oldest first (index run_etl_start).
SELECT start_ts, end_seen, outcome, exit_code, task_id, dur_lo_s, dur_hi_s
FROM run
WHERE etl_ref = :etl AND start_ts >= :since AND start_ts < :until
ORDER BY start_ts, id;
