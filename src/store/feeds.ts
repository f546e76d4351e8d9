import type { Database } from 'better-sqlite3';
import type { Feed } from '../domain.js';
import { writeTransaction } from './write-transaction.js';

interface FeedRow {
  id: number;
  url: string;
  title: string | null;
  etag: string | null;
  last_modified: string | null;
  last_fetched_at: string | null;
  last_success_at: string | null;
  last_error_at: string | null;
  last_error: string | null;
  error_count: number;
}

const feedFromRow = (row: FeedRow): Feed => ({
  id: row.id,
  url: row.url,
  title: row.title,
  etag: row.etag,
  lastModified: row.last_modified,
  lastFetchedAt: row.last_fetched_at,
  lastSuccessAt: row.last_success_at,
  lastErrorAt: row.last_error_at,
  lastError: row.last_error,
  errorCount: row.error_count,
});

export function createFeedQueries(db: Database) {
  const insert = db.prepare('INSERT OR IGNORE INTO feeds (url, created_at) VALUES (?, ?)');
  const byUrl = db.prepare<[string], FeedRow>('SELECT * FROM feeds WHERE url = ?');
  const all = db.prepare<[], FeedRow>('SELECT * FROM feeds ORDER BY id');
  const fetched = db.prepare(`
    UPDATE feeds SET title = coalesce(@title, title), etag = @etag, last_modified = @lastModified,
      last_fetched_at = @at, last_success_at = @at, error_count = 0, last_error = NULL
    WHERE id = @id`);
  const notModified = db.prepare(`
    UPDATE feeds SET last_fetched_at = @at, last_success_at = @at, error_count = 0, last_error = NULL WHERE id = @id`);
  const failed = db.prepare(`
    UPDATE feeds SET last_fetched_at = @at, last_error_at = @at, last_error = @error, error_count = error_count + 1
    WHERE id = @id`);

  return {
    /** The feed row for each URL, created on first use. */
    ensureFeeds(urls: readonly string[], at: Date): Feed[] {
      return writeTransaction(db, () =>
        urls.map((url) => {
          insert.run(url, at.toISOString());
          return feedFromRow(byUrl.get(url)!);
        }),
      )();
    },
    listFeeds(): Feed[] {
      return all.all().map(feedFromRow);
    },
    /** Saves the validators only now, after the body parsed (a bad body must not be skipped next time as "not modified"). */
    recordFeedFetched(id: number, fields: { title: string | null; etag: string | null; lastModified: string | null }, at: Date): void {
      fetched.run({ id, ...fields, at: at.toISOString() });
    },
    recordFeedNotModified(id: number, at: Date): void {
      notModified.run({ id, at: at.toISOString() });
    },
    recordFeedError(id: number, error: string, at: Date): void {
      failed.run({ id, error, at: at.toISOString() });
    },
  };
}

export type FeedQueries = ReturnType<typeof createFeedQueries>;
