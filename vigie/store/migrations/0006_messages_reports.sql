-- Messages to the public (issue #8): what a template produced, where it applies, the CAP
-- values approved with it, whether it was written during an exercise, and every channel it
-- was sent on (the area column holds communes or a zone, for CAP areaDesc); and an index for
-- the situation report's period aggregates.

ALTER TABLE messages ADD COLUMN template TEXT;
ALTER TABLE messages ADD COLUMN area TEXT;
ALTER TABLE messages ADD COLUMN cap_urgency TEXT;
ALTER TABLE messages ADD COLUMN cap_severity TEXT;
ALTER TABLE messages ADD COLUMN cap_certainty TEXT;
ALTER TABLE messages ADD COLUMN exercise INTEGER NOT NULL DEFAULT 0;
CREATE INDEX idx_messages_status ON messages(status, created_at);

-- One row per channel a message was sent on (Vigie records; it never posts).
CREATE TABLE message_sends (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id),
    channel TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    note TEXT
);
CREATE INDEX idx_message_sends_message ON message_sends(message_id);
CREATE INDEX idx_message_sends_sent ON message_sends(sent_at);

-- The situation report aggregates a period's posts (counts, urgent, escalated, located,
-- posts per commune and per map cell). A covering index over the period column and those
-- fields answers all of them from the index alone: 1M posts in well under a second each,
-- instead of 6-8 s of row lookups.
CREATE INDEX idx_posts_report ON posts(created_at, place, lat, lon, urgency, status);
