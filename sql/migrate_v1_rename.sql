-- Upgrade of a schema v1 database, step 1 of 3 (common/db.c runs the three steps and sets
-- user_version to the current version in one BEGIN IMMEDIATE transaction; any failure rolls
-- all back): the v1 tables step aside under a _v1 name, then sql/schema.sql creates the
-- current tables.
DROP VIEW IF EXISTS v_etl;
DROP VIEW IF EXISTS v_sample;
DROP VIEW IF EXISTS v_run;
DROP VIEW IF EXISTS v_pass;
ALTER TABLE run RENAME TO run_v1;
ALTER TABLE sample RENAME TO sample_v1;
ALTER TABLE pass RENAME TO pass_v1;
ALTER TABLE etl RENAME TO etl_v1;
ALTER TABLE instance RENAME TO instance_v1;
