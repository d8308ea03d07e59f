-- Each counting window keeps its own end, and the sweep forgets a window at
-- that end: an hour's window (registration codes) lives its hour, not a minute.
ALTER TABLE windows ADD COLUMN ends_at TIMESTAMPTZ;
-- Windows from before carry no length: an hour, the longest in use, keeps
-- each at least as long as it counts (counting itself goes by its start).
UPDATE windows SET ends_at = window_start + interval '1 hour';
ALTER TABLE windows ALTER COLUMN ends_at SET NOT NULL;
CREATE INDEX windows_by_end ON windows (ends_at);
