-- The server clock's lead over ours for one ETL's instance: the latest known skew of a pass
-- that started before :until (index pass_instance_started, backwards). Run starts and
-- expected starts are server times; observations are ours.
SELECT p.server_skew_s
FROM pass p
WHERE p.instance_id = (SELECT instance_id FROM etl WHERE id = :etl)
  AND p.started < :until AND p.server_skew_s IS NOT NULL
ORDER BY p.started DESC
LIMIT 1;
