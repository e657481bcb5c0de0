-- A poll identical to the latest sample within max_gap extends it to :now.
UPDATE sample SET span_s = :now - first_seen, polls = polls + 1
WHERE etl_ref = :etl AND first_seen = :first_seen AND seq = :seq;
