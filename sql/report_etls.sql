-- Every ETL with its instance, ordered as reports list them, with what the instance's latest
-- pass says: its polling interval (the one "observation stopped" and staleness are judged
-- by) and its start; when the ETL was found gone from CO; the server's time zone. An instance without any ETL (a collector that never got the ETL list)
-- comes once with a NULL ETL, so that reports still name it. Reads the small etl and
-- instance tables whole, and one pass row per instance (primary key of pass, backwards).
SELECT e.id, i.name,
       (SELECT p.interval_s FROM pass p WHERE p.instance_id = i.id
        ORDER BY p.started DESC, p.seq DESC LIMIT 1) AS interval_s,
       e.etl_id, e.name, e.first_seen, e.last_seen, i.id,
       (SELECT max(p.started) FROM pass p WHERE p.instance_id = i.id) AS last_pass,
       e.deleted_since, i.tz
FROM instance i
LEFT JOIN etl e ON e.instance_id = i.id
ORDER BY i.name, e.etl_id;
