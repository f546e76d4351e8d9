import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  endlessBody,
  neverRespond,
  redirectTo,
  respondWith,
  serveFeed,
  startFeedServer,
  type FeedServer,
} from '../../test/support/feed-server.js';
import { FeedError } from './errors.js';
import { fetchFeed, type FetchOptions } from './fetch-feed.js';

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>';
const ETAG = '"v1-abc"';
const LAST_MODIFIED = 'Thu, 28 Nov 2024 17:23:08 GMT';
const options: FetchOptions = { timeoutMs: 5_000, maxBytes: 1024 * 1024, userAgent: 'papermail-test/1.0' };

async function feedError(promise: Promise<unknown>): Promise<FeedError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(FeedError);
  return error as FeedError;
}

describe('fetchFeed over HTTP', () => {
  let server: FeedServer;

  beforeEach(async () => {
    server = await startFeedServer();
    server.route('/feed.xml', serveFeed(FEED, { etag: ETAG, lastModified: LAST_MODIFIED }));
  });
  afterEach(async () => {
    await server.close();
  });

  it('sends the User-Agent and an Accept header naming feed types', async () => {
    await fetchFeed(server.url('/feed.xml'), options);
    const [request] = server.requests;
    expect(request?.headers['user-agent']).toBe('papermail-test/1.0');
    expect(request?.headers['accept']).toContain('application/rss+xml');
    expect(request?.headers['accept']).toContain('application/atom+xml');
    expect(request?.headers['accept']).toContain('application/json');
  });

  it('returns the body, content type and validators of a 200 response', async () => {
    const result = await fetchFeed(server.url('/feed.xml'), options);
    expect(result).toEqual({
      status: 'fetched',
      body: Buffer.from(FEED),
      contentType: 'application/rss+xml; charset=utf-8',
      etag: ETAG,
      lastModified: LAST_MODIFIED,
      finalUrl: server.url('/feed.xml'),
    });
  });

  it('sends no conditional headers when no validators are saved', async () => {
    await fetchFeed(server.url('/feed.xml'), { ...options, etag: null, lastModified: null });
    expect(server.requests[0]?.headers['if-none-match']).toBeUndefined();
    expect(server.requests[0]?.headers['if-modified-since']).toBeUndefined();
  });

  it('sends the saved ETag and Last-Modified and reports not-modified on 304', async () => {
    const result = await fetchFeed(server.url('/feed.xml'), { ...options, etag: ETAG, lastModified: LAST_MODIFIED });
    expect(result).toEqual({ status: 'not-modified' });
    expect(server.requests[0]?.headers['if-none-match']).toBe(ETAG);
    expect(server.requests[0]?.headers['if-modified-since']).toBe(LAST_MODIFIED);
  });

  it('fetches the body again when the saved ETag no longer matches', async () => {
    const result = await fetchFeed(server.url('/feed.xml'), { ...options, etag: '"v0-old"' });
    expect(result.status).toBe('fetched');
  });

  it('follows redirects and reports the final URL', async () => {
    server.route('/old', redirectTo('/moved'));
    server.route('/moved', redirectTo(server.url('/feed.xml'), 301));
    const result = await fetchFeed(server.url('/old'), options);
    expect(result).toMatchObject({ status: 'fetched', finalUrl: server.url('/feed.xml') });
    expect(server.requests.map((request) => request.path)).toEqual(['/old', '/moved', '/feed.xml']);
  });

  it.each([404, 410, 500, 503])('throws an http FeedError naming the status %i and the URL', async (status) => {
    server.route('/broken', respondWith(status, 'nope'));
    const error = await feedError(fetchFeed(server.url('/broken'), options));
    expect(error.kind).toBe('http');
    expect(error.httpStatus).toBe(status);
    expect(error.url).toBe(server.url('/broken'));
    expect(error.message).toContain(`HTTP ${status} fetching ${server.url('/broken')}`);
  });

  it('throws a timeout FeedError when the server never answers', async () => {
    server.route('/slow', neverRespond());
    const error = await feedError(fetchFeed(server.url('/slow'), { ...options, timeoutMs: 300 }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe(`timeout after 300 ms fetching ${server.url('/slow')}`);
  });

  it('times out while reading a body that stops arriving', async () => {
    server.route('/stalls', (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      response.write('<rss version="2.0"><channel>');
    });
    const error = await feedError(fetchFeed(server.url('/stalls'), { ...options, timeoutMs: 300 }));
    expect(error.kind).toBe('timeout');
  });

  it('stops reading an endless body as soon as it passes maxBytes', async () => {
    const endless = endlessBody();
    server.route('/endless', endless.handler);
    const error = await feedError(fetchFeed(server.url('/endless'), { ...options, timeoutMs: 20_000 }));
    expect(error.kind).toBe('too-large');
    expect(error.message).toBe(`body over ${options.maxBytes} bytes from ${server.url('/endless')}`);
    await endless.closed;
    // The client hung up: what the server could push is bounded by socket buffers, far below 50 MB.
    expect(endless.sentBytes).toBeLessThan(50 * 1024 * 1024);
  });

  it('refuses a body whose Content-Length is over maxBytes without reading it', async () => {
    server.route('/huge', (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/rss+xml', 'Content-Length': String(100 * 1024 * 1024) });
      response.write('<rss>');
    });
    const error = await feedError(fetchFeed(server.url('/huge'), { ...options, timeoutMs: 20_000 }));
    expect(error.kind).toBe('too-large');
  });

  it('reports an aborted fetch as a network FeedError', async () => {
    server.route('/slow', neverRespond());
    const controller = new AbortController();
    const pending = fetchFeed(server.url('/slow'), { ...options, signal: controller.signal });
    controller.abort(new Error('shutting down'));
    const error = await feedError(pending);
    expect(error.kind).toBe('network');
    expect(error.message).toBe(`aborted fetching ${server.url('/slow')}`);
  });

  it('throws a network FeedError naming the cause when nothing listens', async () => {
    const url = server.url('/feed.xml');
    await server.close();
    const error = await feedError(fetchFeed(url, options));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(new RegExp(`^network error fetching ${url}: .*ECONNREFUSED`));
    server = await startFeedServer();
  });
});

describe('fetchFeed for URLs it cannot fetch', () => {
  it.each([
    ['not a url', /invalid feed URL/],
    ['ftp://example.org/feed.xml', /unsupported URL scheme ftp:/],
  ])('throws a network FeedError for %s', async (url, message) => {
    const error = await feedError(fetchFeed(url, options));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(message);
  });
});

describe('fetchFeed for file: URLs', () => {
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'papermail-fetch-'));
    file = path.join(dir, 'feed.xml');
    await writeFile(file, FEED);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads an absolute file:/// URL', async () => {
    const url = pathToFileURL(file).href;
    const result = await fetchFeed(url, options);
    expect(result).toMatchObject({ status: 'fetched', body: Buffer.from(FEED), etag: null, finalUrl: url });
    expect(result.status === 'fetched' && Date.parse(result.lastModified ?? '')).toBeGreaterThan(0);
  });

  it('reads a file:relative/path URL from the working directory', async () => {
    const result = await fetchFeed(`file:${path.relative(process.cwd(), file)}`, options);
    expect(result).toMatchObject({ status: 'fetched', body: Buffer.from(FEED), contentType: 'application/xml' });
  });

  it('throws too-large for a file over maxBytes', async () => {
    const error = await feedError(fetchFeed(pathToFileURL(file).href, { ...options, maxBytes: 10 }));
    expect(error.kind).toBe('too-large');
  });

  it('throws a network FeedError naming the path of a missing file', async () => {
    const missing = path.join(dir, 'missing.xml');
    const error = await feedError(fetchFeed(pathToFileURL(missing).href, options));
    expect(error.kind).toBe('network');
    expect(error.message).toContain(`cannot read feed file ${missing} (ENOENT)`);
  });
});
