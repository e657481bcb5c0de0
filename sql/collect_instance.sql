-- The instance a pass belongs to, created on its first pass; its URL and time zone follow the
-- config.
INSERT INTO instance (name, url, tz) VALUES (:name, :url, :tz)
ON CONFLICT (name) DO UPDATE SET url = excluded.url, tz = excluded.tz
RETURNING id;
