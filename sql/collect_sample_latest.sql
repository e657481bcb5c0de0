-- The latest sample of one ETL, as the collector compares a new poll with it (primary key of
-- sample, backwards). Times absolute; status and exit code as text.
SELECT s.first_seen, s.seq, s.first_seen + s.span_s, st.text, ec.text,
       s.first_seen - s.last_exec_ago_s, s.task_id, s.http_code, s.error
FROM sample s
LEFT JOIN code st ON st.id = s.status
LEFT JOIN code ec ON ec.id = s.exit_code
WHERE s.etl_ref = :etl
ORDER BY s.first_seen DESC, s.seq DESC
LIMIT 1;
