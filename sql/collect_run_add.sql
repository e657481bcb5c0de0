-- A new run. seq tells apart runs of one ETL with the same start (a rerun of that start).
INSERT INTO run (etl_ref, start_ts, seq, first_running_s, last_running_s, end_seen_s, outcome,
                 exit_code, task_id, dur_lo_s, dur_hi_s)
VALUES (:etl, :start_ts,
        (SELECT coalesce(max(seq) + 1, 0) FROM run WHERE etl_ref = :etl AND start_ts = :start_ts),
        :first_running - :start_ts, :last_running - :start_ts, :end_seen - :start_ts, :outcome,
        :exit_code, :task_id, :dur_lo_s, :dur_hi_s)
RETURNING seq;
