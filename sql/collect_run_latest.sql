-- The latest run of one ETL, with absolute times and words (primary key of run, backwards).
SELECT r.start_ts, r.seq, r.start_ts + r.first_running_s, r.start_ts + r.last_running_s,
       r.start_ts + r.end_seen_s, oc.text, ec.text, r.task_id, r.dur_lo_s, r.dur_hi_s
FROM run r
JOIN code oc ON oc.id = r.outcome
LEFT JOIN code ec ON ec.id = r.exit_code
WHERE r.etl_ref = :etl
ORDER BY r.start_ts DESC, r.seq DESC
LIMIT 1;
