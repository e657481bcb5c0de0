-- The instance a pass belongs to, created on its first pass; its URL follows the config.
INSERT INTO instance (name, url) VALUES (:name, :url)
ON CONFLICT (name) DO UPDATE SET url = excluded.url
RETURNING id;
