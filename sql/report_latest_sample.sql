-- The latest sample of one ETL: its status, or its error (primary key of sample, backwards;
-- samples never overlap, so the latest to start is the latest to end).
SELECT c.text, s.error
FROM sample s
LEFT JOIN code c ON c.id = s.status
WHERE s.etl_ref = :etl
ORDER BY s.first_seen DESC, s.seq DESC
LIMIT 1;
