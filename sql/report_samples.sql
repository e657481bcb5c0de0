-- Samples of one ETL that coverage, services and health need for [:since, :until),
-- oldest first, each part an index range on sample_etl_last (etl_ref, last_seen):
--  1. the last successful sample that ended before :since (the gap into the window),
--  2. every sample that ended in [:since, :until + :max_gap),
--  3. the first sample that ended at or after :until + :max_gap (it may straddle the end,
--     or be the successful poll that closes the last gap).
-- Samples never overlap, so nothing later can matter.
SELECT * FROM (
    SELECT first_seen, last_seen, polls, status, http_code, error
    FROM sample
    WHERE etl_ref = :etl AND last_seen < :since AND error IS NULL
    ORDER BY last_seen DESC
    LIMIT 1)
UNION ALL
SELECT * FROM (
    SELECT first_seen, last_seen, polls, status, http_code, error
    FROM sample
    WHERE etl_ref = :etl AND last_seen >= :since AND last_seen < :until + :max_gap
    ORDER BY last_seen)
UNION ALL
SELECT * FROM (
    SELECT first_seen, last_seen, polls, status, http_code, error
    FROM sample
    WHERE etl_ref = :etl AND last_seen >= :until + :max_gap
    ORDER BY last_seen
    LIMIT 1)
ORDER BY last_seen;
