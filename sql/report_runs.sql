-- Runs of one ETL that started in [:since, :until), oldest first (index run_etl_start).
-- A run still RUNNING at its last observation while its instance went on being polled for
-- longer than max_gap was no longer observed (the ETL was deleted, or its polls failed):
-- its end was never seen, so it is UNKNOWN.
SELECT start_ts, end_seen,
       CASE WHEN outcome = 'RUNNING' AND last_running < (
                SELECT max(p.started) - 3 * i.interval_s
                FROM etl e JOIN instance i ON i.id = e.instance_id
                JOIN pass p ON p.instance_id = i.id WHERE e.id = :etl)
            THEN 'UNKNOWN' ELSE outcome END AS outcome,
       exit_code, task_id, dur_lo_s, dur_hi_s, last_running
FROM run
WHERE etl_ref = :etl AND start_ts >= :since AND start_ts < :until
ORDER BY start_ts, id;
