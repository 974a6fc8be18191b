-- Admin page: sources edited in the database, versioned human edits of sources and users,
-- and the runner's freshness measures.

-- Where a source was defined: 'file' (seeded from the sources file) or 'admin' (added in
-- the Admin page). file_definition is the file's entry as last applied (canonical JSON):
-- the file wins only when that entry changes, so an edit made in the Admin page survives
-- restarts until someone edits the same source in the file.
ALTER TABLE sources ADD COLUMN origin TEXT NOT NULL DEFAULT 'file';
ALTER TABLE sources ADD COLUMN file_definition TEXT;
ALTER TABLE sources ADD COLUMN created_at TEXT;
ALTER TABLE sources ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sources ADD COLUMN updated_by TEXT;
-- Time of the newest post or alert the source delivered (lag_seconds = now - this).
ALTER TABLE sources ADD COLUMN newest_item_at TEXT;
-- Set when the runner found the source late (no success for 3 periods); cleared on success.
ALTER TABLE sources ADD COLUMN late_since TEXT;

ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN updated_at TEXT;
ALTER TABLE users ADD COLUMN updated_by TEXT;
