-- The start of the latest successful pass (some ETL answered) of one ETL's instance before
-- :until: how fresh the collector's view is (index pass_instance_started, backwards).
SELECT p.started
FROM pass p
WHERE p.instance_id = (SELECT instance_id FROM etl WHERE id = :etl)
  AND p.started < :until AND p.ok > 0
ORDER BY p.started DESC
LIMIT 1;
