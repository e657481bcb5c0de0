-- Samples of one ETL that coverage, services and health need for [:since, :until),
-- oldest first, each part a range of sample's primary key (etl_ref, first_seen, seq):
--  1. the last successful sample that ended before :since (the gap into the window),
--  2. every sample that ended in [:since, :until + :max_gap),
--  3. the first sample that ended at or after :until + :max_gap (it may straddle the end,
--     or be the successful poll that closes the last gap).
-- Samples never overlap: those ending at or after T are the last one to start before T and
-- every later one, so parts 2 and 3 start their range there.
-- interval_s is that of the pass that made the sample's first poll: the gap ending at that
-- poll is judged by it (common/rules.h).
SELECT * FROM (
    SELECT s.first_seen, s.first_seen + s.span_s, s.polls, c.text, s.http_code, s.error,
           (SELECT p.interval_s FROM pass p WHERE p.instance_id = :instance
            AND p.started <= s.first_seen ORDER BY p.started DESC, p.seq DESC LIMIT 1), s.seq
    FROM sample s LEFT JOIN code c ON c.id = s.status
    WHERE s.etl_ref = :etl AND s.first_seen < :since AND s.first_seen + s.span_s < :since
      AND s.error IS NULL
    ORDER BY s.first_seen DESC, s.seq DESC LIMIT 1)
UNION ALL
SELECT s.first_seen, s.first_seen + s.span_s, s.polls, c.text, s.http_code, s.error,
       (SELECT p.interval_s FROM pass p WHERE p.instance_id = :instance
        AND p.started <= s.first_seen ORDER BY p.started DESC, p.seq DESC LIMIT 1), s.seq
FROM sample s LEFT JOIN code c ON c.id = s.status
WHERE s.etl_ref = :etl AND s.first_seen < :until + :max_gap
  AND s.first_seen >= coalesce((SELECT max(first_seen) FROM sample
                                WHERE etl_ref = :etl AND first_seen < :since), :since)
  AND s.first_seen + s.span_s >= :since AND s.first_seen + s.span_s < :until + :max_gap
UNION ALL
SELECT * FROM (
    SELECT s.first_seen, s.first_seen + s.span_s, s.polls, c.text, s.http_code, s.error,
           (SELECT p.interval_s FROM pass p WHERE p.instance_id = :instance
            AND p.started <= s.first_seen ORDER BY p.started DESC, p.seq DESC LIMIT 1), s.seq
    FROM sample s LEFT JOIN code c ON c.id = s.status
    WHERE s.etl_ref = :etl AND s.first_seen + s.span_s >= :until + :max_gap
      AND s.first_seen >= coalesce((SELECT max(first_seen) FROM sample
                                    WHERE etl_ref = :etl AND first_seen < :until + :max_gap),
                                   :until + :max_gap)
    ORDER BY s.first_seen, s.seq LIMIT 1)
ORDER BY 1, 8;
