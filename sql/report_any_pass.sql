-- Whether any pass of any instance started in [:since, :until): a report over a window the
-- collector never ran in says so (index pass_instance_started, one range per instance).
SELECT EXISTS (
    SELECT 1 FROM instance i
    WHERE EXISTS (SELECT 1 FROM pass p
                  WHERE p.instance_id = i.id AND p.started >= :since AND p.started < :until));
