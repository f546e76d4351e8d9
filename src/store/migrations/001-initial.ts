/** The first schema: papers, feeds, subscribers, the delivery ledger, runs and the run lock. */
export const sql = /* sql */ `
CREATE TABLE papers (
  id              INTEGER PRIMARY KEY,
  key             TEXT NOT NULL UNIQUE,          -- canonical key: arxiv:<id> | doi:<doi> | url:<normalized>
  arxiv_id        TEXT,
  doi             TEXT,
  title           TEXT NOT NULL,
  abstract        TEXT NOT NULL DEFAULT '',
  authors_json    TEXT NOT NULL DEFAULT '[]',
  url             TEXT NOT NULL,
  pdf_url         TEXT,
  hf_url          TEXT,
  code_url        TEXT,
  project_url     TEXT,
  categories_json TEXT NOT NULL DEFAULT '[]',
  keywords_json   TEXT NOT NULL DEFAULT '[]',
  ai_summary      TEXT,
  published_at    TEXT,
  upvotes         INTEGER,
  trending        REAL NOT NULL DEFAULT 0,
  first_seen_at   TEXT NOT NULL,                 -- decides "new" and ageing out, not published_at
  updated_at      TEXT NOT NULL
);
CREATE INDEX papers_first_seen ON papers (first_seen_at);

CREATE TABLE feeds (
  id              INTEGER PRIMARY KEY,
  url             TEXT NOT NULL UNIQUE,
  title           TEXT,
  etag            TEXT,
  last_modified   TEXT,
  last_fetched_at TEXT,
  last_success_at TEXT,
  last_error_at   TEXT,
  last_error      TEXT,
  error_count     INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT NOT NULL
);

-- Which feeds carried which paper (for "why is this here" and for debugging merges).
CREATE TABLE paper_sources (
  paper_id      INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  feed_id       INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
  first_seen_at TEXT NOT NULL,
  PRIMARY KEY (paper_id, feed_id)
) WITHOUT ROWID;

CREATE TABLE subscribers (
  id                INTEGER PRIMARY KEY,
  email             TEXT NOT NULL,
  email_normalized  TEXT NOT NULL UNIQUE,
  status            TEXT NOT NULL CHECK (status IN ('pending', 'active', 'paused', 'unsubscribed', 'bounced')),
  topics_json       TEXT NOT NULL DEFAULT '[]',
  keywords_json     TEXT NOT NULL DEFAULT '[]',
  excluded_json     TEXT NOT NULL DEFAULT '[]',
  digest_size       INTEGER NOT NULL DEFAULT 10,
  created_at        TEXT NOT NULL,
  confirmed_at      TEXT,
  status_changed_at TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE INDEX subscribers_status ON subscribers (status, id);

-- The delivery ledger: one row per subscriber and digest date (pending → sending → sent | failed | uncertain).
CREATE TABLE deliveries (
  id              INTEGER PRIMARY KEY,
  subscriber_id   INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  digest_date     TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'uncertain')),
  message_id      TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  next_attempt_at TEXT,                          -- NULL on a failed row: not retryable
  sent_at         TEXT,
  smtp_response   TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (subscriber_id, digest_date)
);
CREATE INDEX deliveries_date_status ON deliveries (digest_date, status, id);
CREATE INDEX deliveries_status ON deliveries (status, id);

CREATE TABLE delivery_papers (
  delivery_id  INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
  position     INTEGER NOT NULL,
  paper_id     INTEGER NOT NULL REFERENCES papers (id),
  score        REAL NOT NULL,
  relevance    REAL NOT NULL,
  trending     REAL NOT NULL,
  reasons_json TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (delivery_id, position)
) WITHOUT ROWID;

-- Papers each subscriber was sent: written in the same transaction that marks a delivery sent,
-- so "already sent?" is one range read per page of subscribers.
CREATE TABLE sent_papers (
  subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  paper_id      INTEGER NOT NULL REFERENCES papers (id),
  delivery_id   INTEGER NOT NULL,
  PRIMARY KEY (subscriber_id, paper_id)
) WITHOUT ROWID;

CREATE TABLE runs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,
  digest_date  TEXT,
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  status       TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
  summary_json TEXT
);

-- One row per named lock; a holder whose heartbeat is older than its lease is dead.
CREATE TABLE locks (
  name         TEXT PRIMARY KEY,
  owner        TEXT NOT NULL,
  acquired_at  TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`;
