-- A run that changed (seen RUNNING again, or ended), addressed by its key.
UPDATE run SET first_running_s = :first_running - start_ts,
               last_running_s = :last_running - start_ts, end_seen_s = :end_seen - start_ts,
               outcome = :outcome, exit_code = :exit_code, task_id = :task_id,
               dur_lo_s = :dur_lo_s, dur_hi_s = :dur_hi_s
WHERE etl_ref = :etl AND start_ts = :start_ts AND seq = :seq;
