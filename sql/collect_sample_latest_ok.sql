-- The last poll of the latest successful sample of one ETL (primary key of sample, backwards).
SELECT first_seen + span_s FROM sample
WHERE etl_ref = :etl AND error IS NULL
ORDER BY first_seen DESC, seq DESC
LIMIT 1;
