-- The code table whole (a few dozen rows): the numbers of statuses, exit codes and outcomes.
SELECT id, text FROM code;
