-- The latest pass start of an instance (NULL when none).
SELECT max(p.started) FROM pass p JOIN instance i ON i.id = p.instance_id WHERE i.name = :instance;
