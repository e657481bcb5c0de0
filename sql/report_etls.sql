-- Every ETL with its instance, ordered as reports list them.
-- Reads the small etl and instance tables whole; nothing else in a report does.
SELECT e.id, i.name, i.interval_s, e.etl_id, e.name, e.first_seen, e.last_seen
FROM etl e
JOIN instance i ON i.id = e.instance_id
ORDER BY i.name, e.etl_id;
