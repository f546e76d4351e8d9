import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { arxivRss } from '../support/feed-builders.js';
import { endlessBody, neverRespond, serveFeed, startFeedServer, type EndlessBody, type FeedServer } from '../support/feed-server.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { tempDir, type TempDir } from '../support/temp-store.js';

describe('one run with hostile feeds', () => {
  let feeds: FeedServer;
  let sink: SmtpSink;
  let dir: TempDir;
  let app: App;
  let endless: EndlessBody;

  beforeEach(async () => {
    feeds = await startFeedServer();
    sink = await startSmtpSink();
    dir = tempDir();
    endless = endlessBody();
    feeds.route('/good', serveFeed(arxivRss([{ arxivId: '2412.09999', title: 'Mamba-2: State Space Duality for Efficient Sequence Models', abstract: 'We show that state space models and linear attention are closely related.', authors: ['Tri Dao', 'Albert Gu'] }])));
    feeds.route('/endless', endless.handler);
    feeds.route('/hang', neverRespond());
    feeds.route('/malformed', serveFeed('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>unclosed'));
    app = createApp(
      loadConfig({
        DATABASE_PATH: dir.file('papermail.db'),
        FEEDS: ['/endless', '/hang', '/malformed', '/good'].map((path) => feeds.url(path)).join(','),
        FETCH_TIMEOUT_MS: '1500',
        FETCH_MAX_BYTES: String(50 * 1024 * 1024),
        SMTP_URL: sink.url,
        SECRET: 'bad-feeds-secret-0123456789abcdefghijkl',
      }),
      silentLogger(),
    );
    app.store.addSubscriber({ email: 'ada@example.org', status: 'active', interests: { topics: ['efficient-architectures'], keywords: [], excluded: [] }, digestSize: 10 }, new Date());
  });

  afterEach(async () => {
    await app.close();
    await sink.close();
    await feeds.close();
    dir.remove();
  });

  it('survives a 50 MB endless body, a feed that never answers and a malformed one, and delivers from the good feed', async () => {
    const summary = await app.runDigest({});
    const outcome = (path: string) => summary.ingest!.feeds.find((feed) => feed.url.endsWith(path))!;
    expect(outcome('/good')).toMatchObject({ status: 'fetched', added: 1 });
    expect(outcome('/endless')).toMatchObject({ status: 'failed', error: expect.stringMatching(/over 52428800 bytes|timeout/) });
    expect(outcome('/hang')).toMatchObject({ status: 'failed', error: expect.stringMatching(/timeout after 1500 ms/) });
    expect(outcome('/malformed')).toMatchObject({ status: 'failed', error: expect.stringMatching(/malformed|not a feed/i) });
    await endless.closed;
    expect(endless.sentBytes).toBeLessThan(60 * 1024 * 1024);
    expect(summary.send.sent).toBe(1);
    expect((await sink.messages[0]!.parsed()).text).toContain('Mamba-2');
  });
});
