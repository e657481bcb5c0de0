-- A known ETL this pass did not poll, judged by the server's ETL list alone: gone since now
-- when the list lacks it (unless already gone), there again when the list has it.
UPDATE etl SET deleted_since = CASE :gone WHEN 1 THEN coalesce(deleted_since, :now) END
WHERE id = :etl;
