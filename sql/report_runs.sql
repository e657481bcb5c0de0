-- Runs of one ETL that started in [:since, :until), oldest first (primary key of run).
-- Outcomes are stored; "observation stopped" (a RUNNING run no longer polled) is judged in
-- C from last_running (common/rules.c), as for report_runs_before.sql.
SELECT r.start_ts, r.start_ts + r.end_seen_s, oc.text, ec.text, r.task_id, r.dur_lo_s,
       r.dur_hi_s, r.start_ts + r.last_running_s
FROM run r
JOIN code oc ON oc.id = r.outcome
LEFT JOIN code ec ON ec.id = r.exit_code
WHERE r.etl_ref = :etl AND r.start_ts >= :since AND r.start_ts < :until
ORDER BY r.start_ts, r.seq;
