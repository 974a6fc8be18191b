-- The volunteers' workspace: triage queue, claims, people reports, main courante filters.

-- Triage queue: new posts grouped by near-duplicate cluster (a post without a cluster is its
-- own), most urgent first. The expression must match vigie/store/triage.py exactly so that
-- SQLite groups by walking this index instead of reading the table; cluster_id and id are
-- repeated at the end so that SQLite 3.40 sees the index as covering (measured: 100k new posts
-- grouped in about 60 ms instead of 175 ms).
CREATE INDEX idx_posts_queue ON posts(status, coalesce(cluster_id, id), urgency, created_at,
                                      incident_id, cluster_id, id);
-- Shift counts ("triaged during the last 8 hours") and the handover summary.
CREATE INDEX idx_posts_updated ON posts(updated_at);

-- Who moved a claim last, and when (the card shows it; audit keeps every move).
ALTER TABLE claims ADD COLUMN status_at TEXT;
ALTER TABLE claims ADD COLUMN status_by TEXT;
CREATE INDEX idx_claims_cluster ON claims(cluster_id);
CREATE INDEX idx_claims_incident ON claims(incident_id, status);
CREATE INDEX idx_claims_verdict ON claims(verdict_at);
CREATE INDEX idx_evidence_claim ON evidence(claim_id, at);

-- Claims found by their words, to suggest an existing claim for a new post.
CREATE VIRTUAL TABLE claims_fts USING fts5(
    title, summary, content='claims', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO claims_fts(rowid, title, summary) SELECT id, title, summary FROM claims;
CREATE TRIGGER claims_fts_ai AFTER INSERT ON claims BEGIN
    INSERT INTO claims_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary);
END;
CREATE TRIGGER claims_fts_ad AFTER DELETE ON claims BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, title, summary)
    VALUES ('delete', old.id, old.title, old.summary);
END;
CREATE TRIGGER claims_fts_au AFTER UPDATE OF title, summary ON claims BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, title, summary)
    VALUES ('delete', old.id, old.title, old.summary);
    INSERT INTO claims_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary);
END;

-- People reports: to whom a report was escalated (SDIS by default), and by whom.
ALTER TABLE people ADD COLUMN escalated_to TEXT;
ALTER TABLE people ADD COLUMN escalated_by TEXT;
CREATE INDEX idx_people_incident ON people(incident_id, status, reported_at);
CREATE INDEX idx_people_post ON people(post_id);

-- Main courante filters by author and kind over a period.
CREATE INDEX idx_log_author_at ON log(author, at);
CREATE INDEX idx_log_kind_at ON log(kind, at);
CREATE INDEX idx_audit_at ON audit(at);
