-- Per ETL, for the metrics file: its latest run's start (server clock), outcome and last
-- RUNNING poll (our clock), the instance's latest known server clock skew and the polling
-- interval of its latest pass, the start of the instance's latest pass (whether a RUNNING
-- run is still observed, common/rules.c), and the instance's time zone (the wall clock its
-- schedules may run on; NULL: none), then whether the ETL awaits no start: its latest
-- successful poll saw it ENDED (not rescheduled), or it is gone from CO. ETLs without runs
-- have NULLs.
SELECT i.name, e.etl_id, e.id, r.start_ts, oc.text, r.start_ts + r.last_running_s,
       coalesce((SELECT p.server_skew_s FROM pass p
                 WHERE p.instance_id = i.id AND p.server_skew_s IS NOT NULL
                 ORDER BY p.started DESC LIMIT 1), 0),
       (SELECT p.interval_s FROM pass p WHERE p.instance_id = i.id
        ORDER BY p.started DESC, p.seq DESC LIMIT 1),
       (SELECT max(p.started) FROM pass p WHERE p.instance_id = i.id),
       i.tz,
       e.deleted_since IS NOT NULL OR coalesce(
           (SELECT c.text = 'ENDED' FROM sample s JOIN code c ON c.id = s.status
            WHERE s.etl_ref = e.id AND s.error IS NULL
            ORDER BY s.first_seen DESC, s.seq DESC LIMIT 1), 0)
FROM etl e
JOIN instance i ON i.id = e.instance_id
LEFT JOIN run r ON r.etl_ref = e.id AND r.start_ts = (
    SELECT max(r2.start_ts) FROM run r2 WHERE r2.etl_ref = e.id)
    AND r.seq = (SELECT max(r3.seq) FROM run r3 WHERE r3.etl_ref = e.id
                 AND r3.start_ts = r.start_ts)
LEFT JOIN code oc ON oc.id = r.outcome
ORDER BY i.name, e.etl_id;
