-- Per instance, its latest pass: start, duration, ETLs polled, answered, failed.
SELECT i.name, p.started, p.took_s, p.polled, p.ok, p.errors
FROM instance i
JOIN pass p ON p.instance_id = i.id AND p.started = (
    SELECT max(p2.started) FROM pass p2 WHERE p2.instance_id = i.id)
WHERE p.seq = (SELECT max(p3.seq) FROM pass p3 WHERE p3.instance_id = i.id
               AND p3.started = p.started)
ORDER BY i.name;
