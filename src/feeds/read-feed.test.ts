import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { respondWith, serveFeed, startFeedServer, type FeedServer } from '../../test/support/feed-server.js';
import { readSharedFeed, sharedFeedsAvailable, sharedFeedsSuite } from '../../test/support/shared-feeds.js';
import { FeedError } from './errors.js';
import type { FetchOptions } from './fetch-feed.js';
import { readFeed } from './read-feed.js';

const options: FetchOptions = { timeoutMs: 5_000, maxBytes: 10 * 1024 * 1024, userAgent: 'papermail-test/1.0' };
const ETAG = 'W/"daily-1"';
const LAST_MODIFIED = 'Fri, 25 Oct 2024 22:00:00 GMT';
const DAILY_PAPERS = JSON.stringify([
  { paper: { id: '2410.17243', title: 'Breaking the Memory Barrier', summary: 'Contrastive loss.', upvotes: 64 } },
  { paper: { id: '2410.16251', title: 'Can Knowledge Editing Really Correct Hallucinations?', upvotes: 41 } },
]);

describe('readFeed', () => {
  let server: FeedServer;

  beforeEach(async () => {
    server = await startFeedServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('returns the parsed feed with the validators to save', async () => {
    server.route('/api/daily_papers', serveFeed(DAILY_PAPERS, { contentType: 'application/json', etag: ETAG, lastModified: LAST_MODIFIED }));
    const result = await readFeed(server.url('/api/daily_papers'), options);
    expect(result).toMatchObject({ status: 'fetched', etag: ETAG, lastModified: LAST_MODIFIED });
    expect(result.status === 'fetched' && result.feed.entries.map((entry) => entry.key)).toEqual([
      'arxiv:2410.17243',
      'arxiv:2410.16251',
    ]);
  });

  it('reports not-modified when the saved validators still match', async () => {
    server.route('/api/daily_papers', serveFeed(DAILY_PAPERS, { contentType: 'application/json', etag: ETAG }));
    expect(await readFeed(server.url('/api/daily_papers'), { ...options, etag: ETAG })).toEqual({ status: 'not-modified' });
  });

  it('throws instead of returning validators when the body is not a feed', async () => {
    server.route('/feed', serveFeed('<html><body>Login required</body></html>', { contentType: 'text/html', etag: ETAG }));
    const error = await readFeed(server.url('/feed'), options).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(FeedError);
    expect(error).toMatchObject({ kind: 'not-a-feed', url: server.url('/feed') });
  });

  it('names the final URL after a redirect in parse errors', async () => {
    server.route('/old', respondWith(301, '', { Location: '/new' }));
    server.route('/new', serveFeed('<rss version="2.0"><channel>', { etag: ETAG }));
    const error = await readFeed(server.url('/old'), options).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ kind: 'malformed', url: server.url('/new') });
  });

  it('decodes the charset the server declares for a feed without an encoding declaration', async () => {
    const body = Buffer.from('<rss version="2.0"><channel><title>Notícias</title></channel></rss>', 'latin1');
    server.route('/latin1', serveFeed(body, { contentType: 'application/rss+xml; charset=ISO-8859-1' }));
    const result = await readFeed(server.url('/latin1'), options);
    expect(result.status === 'fetched' && result.feed.title).toBe('Notícias');
  });
});

describe.skipIf(!sharedFeedsAvailable)(sharedFeedsSuite('readFeed on a real gzip-encoded arXiv feed'), () => {
  let server: FeedServer;

  beforeEach(async () => {
    server = await startFeedServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('lets fetch decompress the body and reads all 1,504 items', async () => {
    const gzipped = readSharedFeed('arxiv-rss2-all-archives-2024-11-28.xml.gz');
    server.route('/rss/all', serveFeed(gzipped, { headers: { 'Content-Encoding': 'gzip' }, etag: '"all"' }));
    const result = await readFeed(server.url('/rss/all'), options);
    expect(result.status === 'fetched' && result.feed.entries).toHaveLength(1504);
    expect(server.requests[0]?.headers['accept-encoding']).toMatch(/gzip/);
  });

  it('counts maxBytes after decompression', async () => {
    const gzipped = readSharedFeed('arxiv-rss2-all-archives-2024-11-28.xml.gz');
    server.route('/rss/all', serveFeed(gzipped, { headers: { 'Content-Encoding': 'gzip' } }));
    const error = await readFeed(server.url('/rss/all'), { ...options, maxBytes: 2 * 1024 * 1024 }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ kind: 'too-large' });
  });
});
