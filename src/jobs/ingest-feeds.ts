import type { Feed } from '../domain.js';
import { describeError } from '../errors.js';
import type { FetchOptions } from '../feeds/fetch-feed.js';
import { readFeed } from '../feeds/read-feed.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/open-store.js';
import { mapConcurrent } from './map-concurrent.js';

export interface IngestFeedsDeps {
  store: Pick<Store, 'ensureFeeds' | 'upsertPapers' | 'recordFeedFetched' | 'recordFeedNotModified' | 'recordFeedError'>;
  log: Logger;
  now: () => Date;
}

export interface IngestFeedsOptions {
  feeds: readonly string[];
  fetch: Pick<FetchOptions, 'timeoutMs' | 'maxBytes' | 'userAgent'>;
  /** Feeds fetched at once. */
  concurrency?: number;
  signal?: AbortSignal;
}

export type FeedOutcome =
  | { url: string; status: 'fetched'; entries: number; added: number; updated: number; skippedReplacements: number }
  | { url: string; status: 'not-modified' }
  | { url: string; status: 'failed'; error: string; errorCount: number };

export interface IngestSummary {
  feedsOk: number;
  feedsFailed: number;
  papersAdded: number;
  papersUpdated: number;
  feeds: FeedOutcome[];
}

/**
 * Fetches every feed (a few at a time), stores what parsed, and records each feed's outcome on its row.
 * A broken feed is recorded and logged with its URL; the others go on. Never throws for a feed.
 */
export async function ingestFeeds(deps: IngestFeedsDeps, options: IngestFeedsOptions): Promise<IngestSummary> {
  const { store, now } = deps;
  const log = deps.log.child({ stage: 'ingest' });
  const feeds = store.ensureFeeds(options.feeds, now());

  const outcomes = await mapConcurrent(feeds, options.concurrency ?? 4, (feed) => ingestOne(feed));

  const summary: IngestSummary = {
    feedsOk: outcomes.filter((outcome) => outcome.status !== 'failed').length,
    feedsFailed: outcomes.filter((outcome) => outcome.status === 'failed').length,
    papersAdded: sum(outcomes, 'added'),
    papersUpdated: sum(outcomes, 'updated'),
    feeds: outcomes,
  };
  log.info({ feedsOk: summary.feedsOk, feedsFailed: summary.feedsFailed, papersAdded: summary.papersAdded, papersUpdated: summary.papersUpdated }, 'feeds ingested');
  return summary;

  async function ingestOne(feed: Feed): Promise<FeedOutcome> {
    const feedLog = log.child({ feed: feed.url });
    try {
      const result = await readFeed(feed.url, { ...options.fetch, etag: feed.etag, lastModified: feed.lastModified, signal: options.signal });
      if (result.status === 'not-modified') {
        store.recordFeedNotModified(feed.id, now());
        feedLog.info('feed not modified');
        return { url: feed.url, status: 'not-modified' };
      }
      const stored = store.upsertPapers(result.feed.entries, feed.id, now());
      store.recordFeedFetched(feed.id, { title: result.feed.title, etag: result.etag, lastModified: result.lastModified }, now());
      feedLog.info({ format: result.feed.format, entries: result.feed.entries.length, ...stored }, 'feed read');
      return { url: feed.url, status: 'fetched', entries: result.feed.entries.length, ...stored };
    } catch (error) {
      const message = describeError(error);
      store.recordFeedError(feed.id, message, now());
      feedLog.warn({ error: message }, 'feed failed');
      return { url: feed.url, status: 'failed', error: message, errorCount: feed.errorCount + 1 };
    }
  }
}

function sum(outcomes: readonly FeedOutcome[], field: 'added' | 'updated'): number {
  return outcomes.reduce((total, outcome) => total + (outcome.status === 'fetched' ? outcome[field] : 0), 0);
}
