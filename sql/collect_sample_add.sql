-- A new sample opened by a poll at :now. seq tells apart samples of one ETL opened in the same
-- second (two passes, a follow round, an error then an answer): the key stays unique. Its
-- answer came by :first_by seconds after :now, the end of the pass or follow round.
INSERT INTO sample (etl_ref, first_seen, seq, status, exit_code, last_exec_ago_s, task_id,
                    http_code, error, first_by_s)
VALUES (:etl, :now,
        (SELECT coalesce(max(seq) + 1, 0) FROM sample WHERE etl_ref = :etl AND first_seen = :now),
        :status, :exit_code, :now - :last_exec_ts, :task_id, :http_code, :error, :first_by);
