-- Upgrade of a schema v3 database to v4, step 1 of 2 (common/db.c runs it, then
-- sql/migrate_v3_history.sql and sql/views.sql, and sets user_version = 4 in one BEGIN
-- IMMEDIATE transaction; any failure rolls all back). v4 keeps the server's time zone with
-- its instance, why a pass observed nothing as a class, and since when an ETL is gone.
-- Columns are added, so no row is rewritten.
DROP VIEW IF EXISTS v_etl;
DROP VIEW IF EXISTS v_sample;
DROP VIEW IF EXISTS v_run;
DROP VIEW IF EXISTS v_pass;
ALTER TABLE instance ADD COLUMN tz TEXT;
ALTER TABLE etl ADD COLUMN deleted_since INTEGER;
ALTER TABLE pass ADD COLUMN error_class TEXT;
