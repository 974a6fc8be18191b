-- Vigie's initial schema: the whole data model of DESIGN.md.
-- Times are ISO 8601 UTC text ("2026-11-25T17:00:00Z"), so they sort and compare as text.
-- JSON columns hold text; the store encodes and decodes them.

CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    area TEXT,
    keywords TEXT NOT NULL DEFAULT '[]',
    departements TEXT NOT NULL DEFAULT '["21"]',
    exercise INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'active',          -- active / paused / closed
    scenario TEXT,                                   -- scenario id for exercises
    speed REAL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    created_by TEXT
);

CREATE TABLE posts (
    id TEXT PRIMARY KEY,                             -- kind:native_id
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    author TEXT,
    text TEXT NOT NULL,
    url TEXT,
    lang TEXT,
    created_at TEXT,
    collected_at TEXT NOT NULL,
    lat REAL,
    lon REAL,
    place TEXT,
    insee TEXT,
    precision TEXT NOT NULL DEFAULT 'unknown',       -- exact / commune / unknown
    categories TEXT NOT NULL DEFAULT '[]',           -- JSON list, most confident first
    category_reasons TEXT NOT NULL DEFAULT '{}',     -- JSON {label: [words]}
    urgency REAL NOT NULL DEFAULT 0,
    urgency_reasons TEXT NOT NULL DEFAULT '[]',
    rumor_signals TEXT NOT NULL DEFAULT '[]',
    cluster_id TEXT,
    status TEXT NOT NULL DEFAULT 'new',              -- new / triaged / irrelevant / escalated
    incident_id INTEGER REFERENCES incidents(id),
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT,
    collector TEXT,                                  -- provenance: which collector
    fetched_at TEXT,
    origin_url TEXT,
    raw_hash TEXT,
    extra TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX idx_posts_created ON posts(created_at);
CREATE INDEX idx_posts_incident_created ON posts(incident_id, created_at);
CREATE INDEX idx_posts_kind_created ON posts(kind, created_at);
CREATE INDEX idx_posts_status_urgency ON posts(status, urgency);
CREATE INDEX idx_posts_cluster ON posts(cluster_id);
CREATE INDEX idx_posts_place ON posts(place);

-- One row per (post, category): lets pages filter and count by category with an index
-- instead of scanning JSON.
CREATE TABLE post_categories (
    post_id TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    created_at TEXT,
    PRIMARY KEY (post_id, category)
);
CREATE INDEX idx_post_categories_cat_created ON post_categories(category, created_at);

CREATE VIRTUAL TABLE posts_fts USING fts5(
    text, author, place, content='posts', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER posts_fts_ai AFTER INSERT ON posts BEGIN
    INSERT INTO posts_fts(rowid, text, author, place) VALUES (new.rowid, new.text, new.author, new.place);
END;
CREATE TRIGGER posts_fts_ad AFTER DELETE ON posts BEGIN
    INSERT INTO posts_fts(posts_fts, rowid, text, author, place)
    VALUES ('delete', old.rowid, old.text, old.author, old.place);
END;
CREATE TRIGGER posts_fts_au AFTER UPDATE OF text, author, place ON posts BEGIN
    INSERT INTO posts_fts(posts_fts, rowid, text, author, place)
    VALUES ('delete', old.rowid, old.text, old.author, old.place);
    INSERT INTO posts_fts(rowid, text, author, place) VALUES (new.rowid, new.text, new.author, new.place);
END;

-- Near-duplicate index: LSH band keys -> posts, and each post's MinHash signature.
CREATE TABLE lsh_buckets (
    band_key TEXT NOT NULL,
    post_id TEXT NOT NULL,
    PRIMARY KEY (band_key, post_id)
) WITHOUT ROWID;
CREATE TABLE post_signatures (
    post_id TEXT PRIMARY KEY,
    cluster_id TEXT NOT NULL,
    signature BLOB NOT NULL
);

CREATE TABLE road_events (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    road TEXT,
    description TEXT,
    event_type TEXT NOT NULL DEFAULT 'closure',      -- closure / restriction / works / incident / detour
    status TEXT NOT NULL DEFAULT 'active',           -- active / planned / ended
    direction TEXT,
    starts_at TEXT,
    ends_at TEXT,
    geometry TEXT,                                   -- GeoJSON geometry
    lat REAL,
    lon REAL,
    commune TEXT,
    detour TEXT,
    schedule TEXT,                                   -- JSON {day: ["HH:MM-HH:MM"]}
    manual INTEGER NOT NULL DEFAULT 0,
    incident_id INTEGER REFERENCES incidents(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT,
    updated_at TEXT,
    updated_by TEXT,
    extra TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX idx_road_events_status ON road_events(status, updated_at);
CREATE INDEX idx_road_events_source ON road_events(source);

CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    sender TEXT,
    event TEXT,
    severity TEXT,
    urgency TEXT,
    certainty TEXT,
    headline TEXT,
    description TEXT,
    instruction TEXT,
    area TEXT,
    sent TEXT,
    expires TEXT,
    status TEXT,
    msg_type TEXT,
    geometry TEXT,
    infos TEXT NOT NULL DEFAULT '[]',
    url TEXT,
    received_at TEXT,
    incident_id INTEGER REFERENCES incidents(id)
);
CREATE INDEX idx_alerts_sent ON alerts(sent);

CREATE TABLE sources (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    url TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    every REAL NOT NULL DEFAULT 60,
    options TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT '{}',                -- cursors, ETag...
    last_run_at TEXT,
    next_run_at TEXT,
    last_ok_at TEXT,
    last_error TEXT,
    last_error_code TEXT,
    last_error_at TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    items_total INTEGER NOT NULL DEFAULT 0,
    items_last_run INTEGER NOT NULL DEFAULT 0,
    rejected_last_run INTEGER NOT NULL DEFAULT 0,
    lag_seconds REAL,
    run_requested INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'volunteer', 'coordinator', 'admin')),
    display_name TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    session_epoch INTEGER NOT NULL DEFAULT 0,        -- bump to end every session of a user
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    last_login_at TEXT
);

-- Append-only: every human change (who, when, what, before, after).
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    before TEXT,
    after TEXT
);
CREATE INDEX idx_audit_entity ON audit(entity, entity_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;

-- The main courante: append-only log of decisions, actions and handovers.
CREATE TABLE log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    author TEXT NOT NULL,                            -- a username, or 'vigie' for automatic lines
    kind TEXT NOT NULL DEFAULT 'entry',              -- entry / decision / action / handover / system
    text TEXT NOT NULL,
    entity TEXT,
    entity_id TEXT,
    incident_id INTEGER REFERENCES incidents(id)
);
CREATE INDEX idx_log_at ON log(at);
CREATE TRIGGER log_no_update BEFORE UPDATE ON log BEGIN
    SELECT RAISE(ABORT, 'the main courante is append-only');
END;
CREATE TRIGGER log_no_delete BEFORE DELETE ON log
WHEN (SELECT exercise FROM incidents WHERE id = old.incident_id) IS NOT 1 BEGIN
    SELECT RAISE(ABORT, 'the main courante is append-only');
END;

CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    summary TEXT,
    status TEXT NOT NULL DEFAULT 'to_verify'
        CHECK (status IN ('to_verify', 'investigating', 'confirmed', 'false', 'misleading', 'unverifiable')),
    verdict_note TEXT,
    public_message TEXT,
    published INTEGER NOT NULL DEFAULT 0,
    owner TEXT,
    cluster_id TEXT,
    incident_id INTEGER REFERENCES incidents(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by TEXT,
    updated_at TEXT,
    updated_by TEXT,
    verdict_at TEXT,
    verdict_by TEXT
);
CREATE INDEX idx_claims_status ON claims(status, updated_at);

CREATE TABLE claim_posts (
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    post_id TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    added_at TEXT NOT NULL,
    added_by TEXT,
    PRIMARY KEY (claim_id, post_id)
);
CREATE INDEX idx_claim_posts_post ON claim_posts(post_id);

CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    kind TEXT NOT NULL DEFAULT 'note',               -- note / link
    content TEXT NOT NULL,
    url TEXT,
    author TEXT,
    at TEXT NOT NULL
);

-- Admiralty ratings: one row per (post, rater); disagreements are shown, never averaged.
CREATE TABLE ratings (
    post_id TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    rater TEXT NOT NULL,
    source_rating TEXT CHECK (source_rating IN ('A','B','C','D','E','F')),
    info_rating INTEGER CHECK (info_rating BETWEEN 1 AND 6),
    at TEXT NOT NULL,
    PRIMARY KEY (post_id, rater)
);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('distress', 'missing')),
    description TEXT NOT NULL,
    place TEXT,
    lat REAL,
    lon REAL,
    post_id TEXT REFERENCES posts(id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'reported'
        CHECK (status IN ('reported', 'escalated', 'located', 'resolved')),
    notes TEXT,
    reported_at TEXT NOT NULL,
    escalated_at TEXT,
    located_at TEXT,
    resolved_at TEXT,
    created_by TEXT,
    incident_id INTEGER REFERENCES incidents(id),
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
);
CREATE INDEX idx_people_status ON people(status, reported_at);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                              -- safety / solidarity / debunk / info
    hazard TEXT,
    title TEXT,
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'sent')),
    channel TEXT,
    claim_id INTEGER REFERENCES claims(id),
    published INTEGER NOT NULL DEFAULT 0,
    incident_id INTEGER REFERENCES incidents(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by TEXT,
    updated_at TEXT,
    updated_by TEXT,
    approved_at TEXT,
    approved_by TEXT,
    sent_at TEXT,
    sent_by TEXT
);

CREATE TABLE shelters (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    commune TEXT,
    address TEXT,
    lat REAL,
    lon REAL,
    capacity INTEGER,
    status TEXT NOT NULL DEFAULT 'open',             -- open / full / closed
    published INTEGER NOT NULL DEFAULT 1,
    incident_id INTEGER REFERENCES incidents(id),
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
);

CREATE TABLE spikes (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    dimension TEXT NOT NULL,                         -- place / category
    value TEXT NOT NULL,
    count INTEGER NOT NULL,
    baseline REAL NOT NULL,
    score REAL NOT NULL,
    incident_id INTEGER REFERENCES incidents(id),
    acknowledged_by TEXT,
    acknowledged_at TEXT
);
CREATE INDEX idx_spikes_at ON spikes(at);

-- Small key/value settings: the session-signing key, the active incident, ...
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One-time tickets and login throttling live in the database so that every server
-- process and every browser session sees the same state.
CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    client TEXT,
    at TEXT NOT NULL,
    ok INTEGER NOT NULL
);
CREATE INDEX idx_login_attempts ON login_attempts(username, at);
