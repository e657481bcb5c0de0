SELECT count(*) FROM run;
