-- Per instance, the start of its latest pass in which some ETL answered.
SELECT i.name, (SELECT max(p.started) FROM pass p WHERE p.instance_id = i.id AND p.ok > 0)
FROM instance i
ORDER BY i.name;
