-- Runs of one ETL that started before :until, newest first; the caller stops reading as
-- soon as it has what it needs: the latest run and the failure streak, or the lookback that
-- schedules and duration limits are learnt from (primary key of run, backwards).
SELECT r.start_ts, oc.text, r.dur_lo_s, r.dur_hi_s, r.start_ts + r.last_running_s
FROM run r
JOIN code oc ON oc.id = r.outcome
WHERE r.etl_ref = :etl AND r.start_ts < :until
ORDER BY r.start_ts DESC, r.seq DESC;
