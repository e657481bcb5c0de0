-- What one instance's passes before :until say: the start of its latest successful pass (some
-- ETL answered), and its latest pass of any kind with why it observed nothing (error, or
-- NULL; ok and errors counted; its class: unreachable, tls, auth, server, other). A report names an instance never observed or stale from it
-- (primary key of pass, backwards).
SELECT (SELECT max(p.started) FROM pass p
        WHERE p.instance_id = :instance AND p.started < :until AND p.ok > 0) AS last_ok,
       l.started, l.error, l.ok, l.errors, l.error_class
FROM (SELECT 1) LEFT JOIN
     (SELECT p.started, p.error, p.ok, p.errors, p.error_class FROM pass p
      WHERE p.instance_id = :instance AND p.started < :until
      ORDER BY p.started DESC, p.seq DESC LIMIT 1) l;
