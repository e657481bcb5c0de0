-- --prune: runs that started and were last seen before :cutoff.
DELETE FROM run
WHERE start_ts < :cutoff
  AND start_ts + coalesce(end_seen_s, last_running_s, 0) < :cutoff;
