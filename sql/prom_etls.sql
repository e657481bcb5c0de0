-- Per ETL, for the metrics file: its latest sample (status, or whether the poll failed), its
-- latest run's start and the outcome of its latest finished run. ETLs without samples or
-- runs have NULLs. Last, whether the ETL was found gone from CO. The failure streak is counted in C (common/rules.c) from
-- prom_etl_outcomes.sql.
SELECT i.name, e.etl_id, coalesce(e.name, ''),
       (SELECT c.text FROM sample s LEFT JOIN code c ON c.id = s.status
        WHERE s.etl_ref = e.id ORDER BY s.first_seen DESC, s.seq DESC LIMIT 1),
       (SELECT s.error IS NOT NULL FROM sample s
        WHERE s.etl_ref = e.id ORDER BY s.first_seen DESC, s.seq DESC LIMIT 1),
       (SELECT max(r.start_ts) FROM run r WHERE r.etl_ref = e.id),
       (SELECT c.text FROM run r JOIN code c ON c.id = r.outcome
        WHERE r.etl_ref = e.id AND c.text NOT IN ('RUNNING', 'UNKNOWN')
        ORDER BY r.start_ts DESC, r.seq DESC LIMIT 1),
       e.id, e.deleted_since IS NOT NULL
FROM etl e JOIN instance i ON i.id = e.instance_id
ORDER BY i.name, e.etl_id;
