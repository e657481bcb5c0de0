-- Every sample in the order runs are derived in (primary key of sample), with what the
-- derivation needs: when its first poll had answered, and from the pass it belongs to (the
-- latest to start at or before it: its own, or the one whose follow round made it) the server
-- clock skew and the polling interval (the gap ending at that poll is judged by it, as when
-- the collector stored it). A sample whose pass was pruned takes the interval of the oldest
-- pass left and no skew.
SELECT s.etl_ref, s.first_seen, s.first_seen + s.span_s, st.text, ec.text,
       coalesce(s.first_seen - s.last_exec_ago_s, 0), s.task_id,
       coalesce(p.server_skew_s, 0),
       coalesce(p.interval_s,
                (SELECT p2.interval_s FROM pass p2 WHERE p2.instance_id = e.instance_id
                 ORDER BY p2.started, p2.seq LIMIT 1)),
       s.first_seen + s.first_by_s
FROM sample s
JOIN etl e ON e.id = s.etl_ref
LEFT JOIN pass p ON p.instance_id = e.instance_id AND p.seq = 0
     AND p.started = (SELECT max(p2.started) FROM pass p2
                      WHERE p2.instance_id = e.instance_id AND p2.started <= s.first_seen)
LEFT JOIN code st ON st.id = s.status
LEFT JOIN code ec ON ec.id = s.exit_code
ORDER BY s.etl_ref, s.first_seen, s.seq;
