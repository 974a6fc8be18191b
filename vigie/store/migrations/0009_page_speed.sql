-- Indexes that keep every page's queries bounded at a million posts (python -m bench pages).

-- Claims' linked posts through their near-duplicate cluster: count, first and last seen and
-- spread per 10 minutes read this index only; a cluster's first post is one seek.
CREATE INDEX IF NOT EXISTS idx_posts_cluster_created ON posts(cluster_id, created_at);
-- The handover summary: posts of the incident handled since a time, by status.
CREATE INDEX IF NOT EXISTS idx_posts_incident_updated ON posts(incident_id, updated_at, status);
-- The Messages page's commune suggestions: communes most named in a recent window.
CREATE INDEX IF NOT EXISTS idx_posts_created_place ON posts(created_at, place)
    WHERE place IS NOT NULL;
-- The wall's "collectors stopped" check and /api/health: the newest collected post.
CREATE INDEX IF NOT EXISTS idx_posts_collected ON posts(collected_at);
-- The wall's urgent items: idx_posts_open_urgent plus what the count and the grouping read
-- (incident, cluster), so counting a day of open urgent posts never reads the table.
CREATE INDEX IF NOT EXISTS idx_posts_open_urgent_cover
    ON posts(created_at, urgency, incident_id, cluster_id, id)
    WHERE status IN ('new', 'escalated') AND urgency >= 0.5;
