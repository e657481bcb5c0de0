-- Readable views over the etlhist tables, for the sqlite3 shell, BI tools and Grafana.
-- Times are shown as UTC "YYYY-MM-DD hh:mm:ss"; statuses, outcomes and exit codes as words.

CREATE VIEW v_etl AS
SELECT i.name AS instance, e.etl_id, e.name AS etl_name,
       datetime(e.first_seen, 'unixepoch') AS first_seen_utc,
       datetime(e.last_seen, 'unixepoch') AS last_seen_utc,
       datetime(e.deleted_since, 'unixepoch') AS deleted_since_utc
FROM etl e JOIN instance i ON i.id = e.instance_id;

CREATE VIEW v_sample AS
SELECT i.name AS instance, e.etl_id, e.name AS etl_name,
       datetime(s.first_seen, 'unixepoch') AS first_seen_utc,
       datetime(s.first_seen + s.span_s, 'unixepoch') AS last_seen_utc,
       s.polls, st.text AS status, ec.text AS exit_code,
       datetime(s.first_seen - s.last_exec_ago_s, 'unixepoch') AS last_exec_utc,
       s.task_id, s.http_code, s.error, s.first_by_s
FROM sample s JOIN etl e ON e.id = s.etl_ref JOIN instance i ON i.id = e.instance_id
LEFT JOIN code st ON st.id = s.status LEFT JOIN code ec ON ec.id = s.exit_code;

CREATE VIEW v_run AS
SELECT i.name AS instance, e.etl_id, e.name AS etl_name, r.task_id,
       datetime(r.start_ts, 'unixepoch') AS start_utc,
       datetime(r.start_ts + r.end_seen_s, 'unixepoch') AS end_seen_utc,
       oc.text AS outcome, ec.text AS exit_code, r.dur_lo_s, r.dur_hi_s,
       (r.dur_lo_s + r.dur_hi_s) / 2.0 AS duration_s
FROM run r JOIN etl e ON e.id = r.etl_ref JOIN instance i ON i.id = e.instance_id
JOIN code oc ON oc.id = r.outcome LEFT JOIN code ec ON ec.id = r.exit_code;

CREATE VIEW v_pass AS
SELECT i.name AS instance,
       datetime(p.started, 'unixepoch') AS started_utc,
       p.took_s, p.polled, p.ok, p.errors, p.server_skew_s, p.error, p.interval_s,
       p.follow_rounds, p.follow_polled, p.follow_errors, p.error_class
FROM pass p JOIN instance i ON i.id = p.instance_id;
