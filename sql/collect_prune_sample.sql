-- --prune: samples whose last poll is older than :cutoff.
DELETE FROM sample WHERE first_seen + span_s < :cutoff;
