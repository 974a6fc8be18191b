-- Triage: who is working on which card. A hold is a hint that keeps two volunteers off the
-- same card; it expires by itself, and stale-edit refusals still protect every write.
CREATE TABLE IF NOT EXISTS card_holds (
    ckey     TEXT PRIMARY KEY,   -- the triage card's cluster key
    username TEXT NOT NULL,
    until    TEXT NOT NULL       -- ISO UTC; an expired hold is free
);
CREATE INDEX IF NOT EXISTS idx_card_holds_until ON card_holds(until);
