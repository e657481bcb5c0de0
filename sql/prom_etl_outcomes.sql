-- The outcomes of one ETL's runs, newest first (primary key of run, backwards): the caller
-- stops as soon as the failure streak is settled.
SELECT c.text
FROM run r JOIN code c ON c.id = r.outcome
WHERE r.etl_ref = :etl
ORDER BY r.start_ts DESC, r.seq DESC;
