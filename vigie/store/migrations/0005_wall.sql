-- The wall screen, spike alerts and exercise control (issue #7).

-- Which replay source feeds an exercise incident (one source per exercise, so that pause,
-- stop and purge act on exactly that exercise), and when its data was purged.
ALTER TABLE incidents ADD COLUMN source TEXT;
ALTER TABLE incidents ADD COLUMN purged_at TEXT;

-- Controls set by people (pause of a replay) live apart from the collector's own state,
-- which the collectors process rewrites after every run: a pause can never be lost in a race.
ALTER TABLE sources ADD COLUMN control TEXT NOT NULL DEFAULT '{}';

-- Spike dedupe looks up the last spike of one value; the wall lists recent ones.
CREATE INDEX idx_spikes_value ON spikes(dimension, value, incident_id, at);

-- The wall's volume by category over a time window, for every category at once (covering:
-- the count never reads the table).
CREATE INDEX idx_post_categories_created ON post_categories(created_at, category, post_id);

-- The wall's open urgent items: only open posts with some urgency are indexed, so the count
-- over 24 hours reads a few thousand entries, not every post of the day.
CREATE INDEX idx_posts_open_urgent ON posts(created_at, urgency)
    WHERE status IN ('new', 'escalated') AND urgency >= 0.5;

-- Purging one exercise finds its rows without scanning the tables (claims and people have
-- theirs from 0004).
CREATE INDEX idx_log_incident ON log(incident_id);
CREATE INDEX idx_road_events_incident ON road_events(incident_id);
CREATE INDEX idx_alerts_incident ON alerts(incident_id);
CREATE INDEX idx_messages_incident ON messages(incident_id);
CREATE INDEX idx_spikes_incident ON spikes(incident_id);
