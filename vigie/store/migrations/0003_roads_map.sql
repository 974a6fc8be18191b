-- Roads page, maps and the public projection (issue #5).

-- Posts flagged for verification, e.g. a post that says a road is cut where the official
-- road data says it is open (or the reverse). One row per (post, kind, road).
CREATE TABLE post_flags (
    id INTEGER PRIMARY KEY,
    post_id TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                              -- road_contradiction
    road TEXT NOT NULL DEFAULT '',
    post_says TEXT,                                  -- closed / open
    feed_says TEXT,                                  -- closed / open
    event_id TEXT,                                   -- the road event behind the feed's answer
    place TEXT,                                      -- where the post says it happens
    words TEXT,                                      -- the post's words that said it
    detail TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'open',             -- open / checked
    note TEXT,
    incident_id INTEGER REFERENCES incidents(id),
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT,
    UNIQUE (post_id, kind, road)
);
CREATE INDEX idx_post_flags_status ON post_flags(status, created_at);
CREATE INDEX idx_post_flags_post ON post_flags(post_id);

-- The map bins located posts of a time window in SQL: a covering index keeps that a
-- single index range scan, whatever the size of the posts table.
CREATE INDEX idx_posts_located ON posts(created_at, lat, lon, urgency) WHERE lat IS NOT NULL;

CREATE INDEX idx_road_events_road ON road_events(road);
