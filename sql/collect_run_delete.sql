-- --rebuild-runs: every run goes, then runs are derived again from samples.
DELETE FROM run;
