-- Upgrade of a schema v1 database, step 3 of 3 (after sql/schema.sql): every row of the v1
-- tables into the current tables, then the v1 tables go. Nothing is re-derived: samples and
-- runs keep their values; each pass takes the interval its instance had (v1 kept only one);
-- a sample's first answer came by the end of the pass that started when it did (the first
-- of that second), as v1 read it.
INSERT INTO instance (id, name, url) SELECT id, name, url FROM instance_v1;
INSERT INTO etl (id, instance_id, etl_id, name, first_seen, last_seen)
SELECT id, instance_id, etl_id, name, first_seen, last_seen FROM etl_v1;

-- Words the v2 schema does not list (exit codes the server invented) get the next numbers.
INSERT OR IGNORE INTO code (text)
SELECT status FROM sample_v1 WHERE status IS NOT NULL
UNION SELECT exit_code FROM sample_v1 WHERE exit_code IS NOT NULL
UNION SELECT outcome FROM run_v1
UNION SELECT exit_code FROM run_v1 WHERE exit_code IS NOT NULL
ORDER BY 1;

INSERT INTO pass (instance_id, started, seq, took_s, polled, ok, errors, server_skew_s,
                  interval_s, error)
SELECT p.instance_id, p.started,
       row_number() OVER (PARTITION BY p.instance_id, p.started ORDER BY p.id) - 1,
       p.finished - p.started, p.polled, p.ok, p.errors, p.server_skew_s, i.interval_s, p.error
FROM pass_v1 p JOIN instance_v1 i ON i.id = p.instance_id
ORDER BY 1, 2, 3;

INSERT INTO sample (etl_ref, first_seen, seq, span_s, polls, status, exit_code,
                    last_exec_ago_s, task_id, http_code, error, first_by_s)
SELECT s.etl_ref, s.first_seen,
       row_number() OVER (PARTITION BY s.etl_ref, s.first_seen ORDER BY s.last_seen, s.id) - 1,
       s.last_seen - s.first_seen, s.polls,
       (SELECT c.id FROM code c WHERE c.text = s.status),
       (SELECT c.id FROM code c WHERE c.text = s.exit_code),
       s.first_seen - s.last_exec_ts, s.task_id, s.http_code, s.error,
       coalesce((SELECT p.finished - p.started FROM pass_v1 p
                 WHERE p.instance_id = (SELECT e.instance_id FROM etl_v1 e WHERE e.id = s.etl_ref)
                   AND p.started = s.first_seen
                 ORDER BY p.id LIMIT 1), 0)
FROM sample_v1 s
ORDER BY 1, 2, 3;

INSERT INTO run (etl_ref, start_ts, seq, first_running_s, last_running_s, end_seen_s, outcome,
                 exit_code, task_id, dur_lo_s, dur_hi_s)
SELECT r.etl_ref, r.start_ts,
       row_number() OVER (PARTITION BY r.etl_ref, r.start_ts ORDER BY r.id) - 1,
       r.first_running - r.start_ts, r.last_running - r.start_ts, r.end_seen - r.start_ts,
       (SELECT c.id FROM code c WHERE c.text = r.outcome),
       (SELECT c.id FROM code c WHERE c.text = r.exit_code),
       r.task_id, r.dur_lo_s, r.dur_hi_s
FROM run_v1 r
ORDER BY 1, 2, 3;

DROP TABLE run_v1;
DROP TABLE sample_v1;
DROP TABLE pass_v1;
DROP TABLE etl_v1;
DROP TABLE instance_v1;
