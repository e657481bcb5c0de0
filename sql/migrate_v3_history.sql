-- Upgrade to schema v4, step 2 of 2 (after sql/migrate_v3.sql; files of schema v1 and v2
-- get it too, after their own steps): the history an older release recorded is judged as the
-- v4 collector judges what it sees.

-- An ETL whose latest sample is "not found" (HTTP 400) is gone since the first 400 of that
-- final streak (the collector: since the first 400 after its last usable answer).
UPDATE etl SET deleted_since = (
    SELECT min(s.first_seen) FROM sample s
    WHERE s.etl_ref = etl.id
      AND NOT EXISTS (SELECT 1 FROM sample n
                      WHERE n.etl_ref = s.etl_ref AND n.http_code IS NOT 400
                        AND (n.first_seen, n.seq) >= (s.first_seen, s.seq)))
WHERE (SELECT l.http_code FROM sample l WHERE l.etl_ref = etl.id
       ORDER BY l.first_seen DESC, l.seq DESC LIMIT 1) = 400;

-- Why a pass observed nothing, from the words older releases wrote: the pass's error (for a
-- failed ETL list, the part after "failed: "), or, when every poll failed, its polls' HTTP
-- codes and errors (the samples that held at the pass's start): one class when they agree,
-- else other. The first pattern that matches an error decides.
CREATE TEMP TABLE error_word (rank INTEGER PRIMARY KEY, pattern TEXT, class TEXT);
INSERT INTO error_word (pattern, class) VALUES
    ('authentication failed%', 'auth'), ('unauthorized%', 'auth'), ('forbidden%', 'auth'),
    ('HTTP 401%', 'auth'), ('HTTP 403%', 'auth'), ('HTTP 5%', 'server'), ('HTTP %', 'other'),
    ('TLS:%', 'tls'), ('SSL%', 'tls'),
    ('timeout after%', 'unreachable'), ('pass deadline exceeded', 'unreachable'),
    ('Could%', 'unreachable'), ('Failure when receiving%', 'unreachable'),
    ('Failed sending%', 'unreachable'), ('Server returned nothing%', 'unreachable'),
    ('connection closed%', 'unreachable'), ('Recv failure%', 'unreachable'),
    ('Send failure%', 'unreachable'),
    ('response over%', 'server'), ('malformed JSON%', 'server'), ('truncated JSON%', 'server'),
    ('empty body', 'server'), ('body too large', 'server'), ('response is a JSON%', 'server'),
    ('Weird server reply%', 'server');

UPDATE pass SET error_class = coalesce((
    SELECT w.class FROM error_word w
    WHERE CASE WHEN pass.error LIKE 'ETL list from % failed: %'
               THEN substr(pass.error, instr(pass.error, ' failed: ') + 9)
               ELSE pass.error END LIKE w.pattern
    ORDER BY w.rank LIMIT 1), 'other')
WHERE ok = 0 AND error IS NOT NULL;

UPDATE pass SET error_class = (
    SELECT CASE WHEN count(DISTINCT c.class) = 1 THEN min(c.class) ELSE 'other' END
    FROM (SELECT CASE WHEN s.http_code IN (401, 403) THEN 'auth'
                      WHEN s.http_code >= 500 OR s.http_code IN (200, 204) THEN 'server'
                      WHEN s.http_code IS NOT NULL THEN 'other'
                      ELSE coalesce((SELECT w.class FROM error_word w
                                     WHERE s.error LIKE w.pattern
                                     ORDER BY w.rank LIMIT 1), 'other') END AS class
          FROM etl e JOIN sample s ON s.etl_ref = e.id
          WHERE e.instance_id = pass.instance_id AND s.error IS NOT NULL
            AND s.first_seen = (SELECT max(x.first_seen) FROM sample x
                                WHERE x.etl_ref = e.id AND x.first_seen <= pass.started)
            AND s.first_seen + s.span_s >= pass.started) AS c)
WHERE ok = 0 AND error IS NULL;

DROP TABLE temp.error_word;
