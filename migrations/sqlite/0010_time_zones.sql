-- The time zone each user reads and enters times in (pages only: the API stays UTC).
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
