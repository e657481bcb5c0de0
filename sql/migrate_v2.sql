-- Upgrade of a schema v2 database to v3 (common/db.c runs it, then sql/views.sql, and sets
-- user_version = 3 in one BEGIN IMMEDIATE transaction; any failure rolls all back). v3 keeps
-- with each sample when its first poll had answered (first_by_s), so that a follow round
-- needs no pass row of its own; its pass counts the rounds. Every v2 row stays as it is,
-- the pass rows of v2's follow rounds too: runs derived from them keep their skew and bounds.
DROP VIEW IF EXISTS v_etl;
DROP VIEW IF EXISTS v_sample;
DROP VIEW IF EXISTS v_run;
DROP VIEW IF EXISTS v_pass;
ALTER TABLE pass ADD COLUMN follow_rounds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pass ADD COLUMN follow_polled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pass ADD COLUMN follow_errors INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sample ADD COLUMN first_by_s INTEGER NOT NULL DEFAULT 0;
-- v2 took a sample's first answer to have come by the end of the pass that started when the
-- sample did (its first pass of that second), or at first_seen when there was none.
UPDATE sample SET first_by_s = p.took_s
FROM etl e, pass p
WHERE e.id = sample.etl_ref AND p.instance_id = e.instance_id
  AND p.started = sample.first_seen AND p.seq = 0 AND p.took_s <> 0;
