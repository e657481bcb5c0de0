-- Runs of one ETL that started before :until, newest first; the caller stops reading as
-- soon as it has what it needs: the latest run and the failure streak, or the lookback that
-- schedules and duration limits are learnt from (index run_etl_start, backwards).
-- A RUNNING run no longer observed is UNKNOWN, as in report_runs.sql.
SELECT start_ts,
       CASE WHEN outcome = 'RUNNING' AND last_running < (
                SELECT max(p.started) - 3 * i.interval_s
                FROM etl e JOIN instance i ON i.id = e.instance_id
                JOIN pass p ON p.instance_id = i.id WHERE e.id = :etl)
            THEN 'UNKNOWN' ELSE outcome END AS outcome,
       dur_lo_s, dur_hi_s, last_running
FROM run
WHERE etl_ref = :etl AND start_ts < :until
ORDER BY start_ts DESC, id DESC;
