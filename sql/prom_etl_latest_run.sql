-- Per ETL, for the metrics file: its latest run's start (server clock), outcome and last
-- RUNNING poll (our clock), the instance's latest known server clock skew and polling
-- interval. ETLs without runs have NULLs.
SELECT i.name, e.etl_id, e.id, r.start_ts, r.outcome, r.last_running,
       coalesce((SELECT p.server_skew_s FROM pass p
                 WHERE p.instance_id = i.id AND p.server_skew_s IS NOT NULL
                 ORDER BY p.started DESC LIMIT 1), 0),
       i.interval_s
FROM etl e
JOIN instance i ON i.id = e.instance_id
LEFT JOIN run r ON r.id = (SELECT r2.id FROM run r2 WHERE r2.etl_ref = e.id
                           ORDER BY r2.start_ts DESC, r2.id DESC LIMIT 1)
ORDER BY i.name, e.etl_id;
