-- Per instance, the start of its latest pass in which some ETL answered (NULL: never), and
-- the polling interval of its latest pass (its max_gap, common/rules.c).
SELECT i.name, (SELECT max(p.started) FROM pass p WHERE p.instance_id = i.id AND p.ok > 0),
       (SELECT p.interval_s FROM pass p WHERE p.instance_id = i.id
        ORDER BY p.started DESC, p.seq DESC LIMIT 1)
FROM instance i
ORDER BY i.name;
