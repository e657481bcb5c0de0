-- A follow round is counted on its pass, the latest of the instance to start at or before it
-- (its first row of that second, as --rebuild-runs finds it), whose skew its samples take.
UPDATE pass SET follow_rounds = follow_rounds + 1, follow_polled = follow_polled + :polled,
                follow_errors = follow_errors + :errors
WHERE instance_id = :instance AND seq = 0
  AND started = (SELECT max(started) FROM pass WHERE instance_id = :instance AND started <= :started)
RETURNING coalesce(server_skew_s, 0);
