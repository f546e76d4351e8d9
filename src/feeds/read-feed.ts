import { fetchFeed, type FetchOptions } from './fetch-feed.js';
import { parseFeed, type ParsedFeed } from './parse-feed.js';

export type ReadFeedResult =
  | { status: 'not-modified' }
  | { status: 'fetched'; feed: ParsedFeed; etag: string | null; lastModified: string | null };

/**
 * Fetches and parses one feed. The validators come back only with a parsed feed, so the caller
 * saves them only after a successful parse: a broken body saved with its ETag would be answered
 * 304 forever (the miniflux rule). Throws FeedError.
 */
export async function readFeed(url: string, options: FetchOptions): Promise<ReadFeedResult> {
  const fetched = await fetchFeed(url, options);
  if (fetched.status === 'not-modified') return fetched;
  const feed = await parseFeed(fetched.body, fetched.finalUrl, { contentType: fetched.contentType });
  return { status: 'fetched', feed, etag: fetched.etag, lastModified: fetched.lastModified };
}
