-- --prune: passes older than :cutoff.
DELETE FROM pass WHERE started < :cutoff;
