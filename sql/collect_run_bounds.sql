-- The duration bounds (dur_lo_s, dur_hi_s) of one ETL's latest runs whose end was bracketed,
-- newest first: where follow learns when the ETL's runs usually end (at most :limit).
SELECT r.dur_lo_s, r.dur_hi_s
FROM instance i
JOIN etl e ON e.instance_id = i.id AND e.etl_id = :etl_id
JOIN run r ON r.etl_ref = e.id
WHERE i.name = :instance AND r.dur_lo_s IS NOT NULL AND r.dur_hi_s IS NOT NULL
ORDER BY r.start_ts DESC
LIMIT :limit;
