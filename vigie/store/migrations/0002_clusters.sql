-- Near-duplicate index, compact: integer band keys (hashes), one row per (key, post).
-- lsh_buckets held nothing yet (enrichment was not wired); it is derived data that
-- `python -m vigie enrich --all` rebuilds, so replacing it loses nothing.
DROP TABLE IF EXISTS lsh_buckets;
CREATE TABLE lsh_keys (
    key INTEGER NOT NULL,
    post_id TEXT NOT NULL,
    PRIMARY KEY (key, post_id)
) WITHOUT ROWID;
CREATE INDEX idx_post_signatures_cluster ON post_signatures(cluster_id);
