import type { ParsedMail } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { arxivRss, hfDailyPapers, type FixturePaper } from '../support/feed-builders.js';
import { respondWith, serveFeed, startFeedServer, type FeedServer } from '../support/feed-server.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { tempDir, type TempDir } from '../support/temp-store.js';

// Real papers from the seed page, with made-up arXiv ids for the fixture.
const mamba: FixturePaper = {
  arxivId: '2412.00101',
  title: 'An Empirical Study of Mamba-based Language Models',
  abstract:
    'Selective state-space models (SSMs) like Mamba overcome some of the shortcomings of Transformers, such as quadratic computational complexity with sequence length and large inference-time memory requirements from the key-value cache.',
  authors: ['Roger Waleffe', 'Wonmin Byeon', 'Duncan Riach', 'Brandon Norick'],
  upvotes: 42,
  githubRepo: 'https://github.com/NVIDIA/Megatron-LM',
};
const linearAttention: FixturePaper = {
  arxivId: '2412.00102',
  title: 'Linear Attention for Efficient Bidirectional Sequence Modeling',
  abstract:
    'Linear Transformers and State Space Models have emerged as efficient alternatives to softmax Transformers for causal sequence modeling, enabling parallel training via matrix multiplication and efficient RNN-style inference.',
  authors: ['Arshia Afzal', 'Elias Abad Rocamora'],
};
const diffusion: FixturePaper = {
  arxivId: '2412.00103',
  title: 'Scalable Diffusion Models with Transformers',
  abstract:
    'We explore a new class of diffusion models based on the transformer architecture. We train latent diffusion models of images, replacing the commonly-used U-Net backbone with a transformer that operates on latent patches.',
  authors: ['William Peebles', 'Saining Xie'],
  upvotes: 120,
};
const hostileTitle: FixturePaper = {
  arxivId: '2412.00104',
  title: 'Mixture of Experts <script>alert("x")</script> for State Space Models',
  abstract: 'We combine mixture of experts layers with selective state space models to scale sequence models efficiently & cheaply.',
  authors: ['Eve <eve@example.org>'],
};
const oldReplaced: FixturePaper = {
  arxivId: '2101.00001',
  version: 3,
  announceType: 'replace',
  title: 'A Mamba Survey, Third Revision',
  abstract: 'A survey of state space models, revised.',
  authors: ['Old Author'],
};
const nextDaySsm: FixturePaper = {
  arxivId: '2412.00201',
  title: 'Mixture-of-Depths: Dynamically allocating compute in transformer-based language models',
  abstract:
    'Transformer-based language models spread FLOPs uniformly across input sequences. We demonstrate that transformers can instead learn to dynamically allocate compute to specific positions in a sequence, a form of layer skipping.',
  authors: ['David Raposo', 'Sam Ritter'],
  upvotes: 7,
};

describe('a daily digest run, end to end (real HTTP feeds, real SMTP server, real SQLite)', () => {
  let feeds: FeedServer;
  let sink: SmtpSink;
  let dir: TempDir;
  let clock: Date;
  let app: App;

  beforeEach(async () => {
    feeds = await startFeedServer();
    sink = await startSmtpSink();
    dir = tempDir();
    clock = new Date('2026-12-02T07:00:00Z');
    feeds.route('/hf', serveFeed(hfDailyPapers([diffusion, mamba]), { contentType: 'application/json', etag: '"hf-1"' }));
    feeds.route('/arxiv', serveFeed(arxivRss([{ ...mamba, version: 1 }, linearAttention, hostileTitle, oldReplaced]), { contentType: 'application/rss+xml' }));
    feeds.route('/html', serveFeed('<!DOCTYPE html><html><body><h1>Moved</h1></body></html>', { contentType: 'text/html' }));
    feeds.route('/down', respondWith(503, 'maintenance'));
    feeds.route('/truncated', serveFeed(arxivRss([linearAttention]).slice(0, 400), { contentType: 'application/rss+xml' }));
    const config = loadConfig({
      DATABASE_PATH: dir.file('papermail.db'),
      FEEDS: ['/hf', '/arxiv', '/html', '/down', '/truncated'].map((path) => feeds.url(path)).join(','),
      SMTP_URL: sink.url,
      MAIL_FROM: 'papermail <digest@papers.example.org>',
      PUBLIC_URL: 'https://papers.example.org',
      SECRET: 'integration-test-secret-0123456789abcdef',
      FETCH_TIMEOUT_MS: '5000',
    });
    app = createApp(config, silentLogger(), { now: () => clock });
    const add = (email: string, topics: string[], keywords: string[] = [], status: 'active' | 'pending' = 'active') =>
      app.store.addSubscriber({ email, status, interests: { topics, keywords, excluded: [] }, digestSize: 10 }, clock);
    add('ada@example.org', ['efficient-architectures']);
    add('dan@example.org', ['diffusion-models']);
    add('pending@example.org', ['efficient-architectures'], [], 'pending');
    add('nobody@example.org', [], ['protein folding']);
  });

  afterEach(async () => {
    await app.close();
    await sink.close();
    await feeds.close();
    dir.remove();
  });

  const byRecipient = async () => {
    const mails = new Map<string, ParsedMail[]>();
    for (const message of sink.messages) {
      const to = message.envelope.to[0]!;
      mails.set(to, [...(mails.get(to) ?? []), await message.parsed()]);
    }
    return mails;
  };

  it('delivers from the good feeds while the broken ones are recorded with their errors', async () => {
    const summary = await app.runDigest({});
    expect(summary.ingest).toMatchObject({ feedsOk: 2, feedsFailed: 3 });
    const failures = app.store.listFeeds().filter((feed) => feed.errorCount > 0);
    expect(failures.map((feed) => new URL(feed.url).pathname).sort()).toEqual(['/down', '/html', '/truncated']);
    expect(failures.find((feed) => feed.url.endsWith('/down'))!.lastError).toMatch(/503/);
    expect(failures.find((feed) => feed.url.endsWith('/html'))!.lastError).toMatch(/not a feed/i);
    expect(summary.send).toMatchObject({ sent: 2, failed: 0, noMatch: 1 });
    expect([...(await byRecipient()).keys()].sort()).toEqual(['ada@example.org', 'dan@example.org']);
  });

  it('sends each subscriber the papers that match, merged across feeds and versions, never a replaced old paper', async () => {
    await app.runDigest({});
    const ada = (await byRecipient()).get('ada@example.org')!;
    expect(ada).toHaveLength(1);
    const text = ada[0]!.text!;
    expect(text.match(/An Empirical Study of Mamba-based Language Models/g)).toHaveLength(1);
    expect(text).toContain('Linear Attention for Efficient Bidirectional Sequence Modeling');
    expect(text).not.toContain('Third Revision');
    expect(text).not.toContain('Scalable Diffusion Models');
    expect(text).toContain('https://arxiv.org/abs/2412.00101');
    expect(text).toContain('https://github.com/NVIDIA/Megatron-LM');
  });

  it('writes every digest header: one recipient, stable Message-ID, List-Id, RFC 8058 one-click unsubscribe, Auto-Submitted', async () => {
    await app.runDigest({});
    const raw = sink.messages.find((message) => message.envelope.to[0] === 'ada@example.org')!.raw.toString();
    const mail = await sink.messages.find((message) => message.envelope.to[0] === 'ada@example.org')!.parsed();
    expect(mail.from?.value).toEqual([{ name: 'papermail', address: 'digest@papers.example.org' }]);
    expect(mail.to).toMatchObject({ value: [{ address: 'ada@example.org' }] });
    expect(mail.subject).toMatch(/Wed 2 Dec/);
    expect(mail.subject).toMatch(/3 new/);
    expect(mail.messageId).toBe(app.messageIdFor(1, '2026-12-02'));
    expect(mail.messageId).toMatch(/@papers\.example\.org>$/);
    expect(raw).toMatch(/^List-Id: papermail daily digest <digest\.papers\.example\.org>/im);
    expect(raw).toMatch(/^List-Unsubscribe:\s*<https:\/\/papers\.example\.org\/unsubscribe\/[A-Za-z0-9_-]{38}>/im);
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/im);
    expect(raw).toMatch(/^Auto-Submitted: auto-generated/im);
    expect(raw).not.toContain('ada@example.org/');
    expect(mail.text).toContain('https://papers.example.org/unsubscribe/');
    expect(mail.html).toContain('https://papers.example.org/preferences/');
  });

  it('escapes feed content and leaves no template residue', async () => {
    await app.runDigest({});
    for (const message of sink.messages) {
      const mail = await message.parsed();
      const html = mail.html as string;
      expect(html).not.toMatch(/<script/i);
      for (const residue of ['%%', '{{', '}}', 'undefined', 'NaN', '[object Object]']) {
        expect(html).not.toContain(residue);
        expect(mail.text).not.toContain(residue);
      }
      expect(Buffer.byteLength(html)).toBeLessThan(102 * 1024);
    }
    const ada = (await byRecipient()).get('ada@example.org')![0]!;
    expect(ada.html).toContain('&lt;script&gt;');
  });

  it('sends nobody a second digest when the same day runs again', async () => {
    await app.runDigest({});
    expect(sink.messages).toHaveLength(2);
    const again = await app.runDigest({});
    expect(again.send).toMatchObject({ planned: 0, sent: 0 });
    expect(sink.messages).toHaveLength(2);
  });

  it('never repeats a paper the next day, across sources and versions, and sends nothing to whom nothing is new', async () => {
    await app.runDigest({});
    clock = new Date('2026-12-03T07:00:00Z');
    feeds.route('/hf', serveFeed(hfDailyPapers([{ ...mamba, upvotes: 300 }, nextDaySsm]), { contentType: 'application/json' }));
    feeds.route('/arxiv', serveFeed(arxivRss([{ ...mamba, version: 2, announceType: 'replace' }, linearAttention, diffusion]), { contentType: 'application/rss+xml' }));
    const day2 = await app.runDigest({});
    expect(day2.send.sent).toBe(1);
    const mails = await byRecipient();
    const adaDay2 = mails.get('ada@example.org')![1]!;
    expect(adaDay2.subject).toMatch(/Thu 3 Dec/);
    expect(adaDay2.text).toContain('Mixture-of-Depths');
    for (const seen of ['Mamba-based Language Models', 'Linear Attention for Efficient', 'Mixture of Experts']) expect(adaDay2.text).not.toContain(seen);
    expect(mails.get('dan@example.org')).toHaveLength(1);
  });

  it('never mails a pending subscriber', async () => {
    await app.runDigest({});
    expect(sink.messages.some((message) => message.envelope.to.includes('pending@example.org'))).toBe(false);
  });

  it('asks again with the saved validators and stores nothing twice when a feed is not modified', async () => {
    await app.runDigest({});
    clock = new Date('2026-12-03T07:00:00Z');
    const second = await app.runDigest({});
    const hfRequests = feeds.requests.filter((request) => request.path === '/hf');
    expect(hfRequests[1]!.headers['if-none-match']).toBe('"hf-1"');
    expect(second.ingest!.feeds.find((feed) => feed.url.endsWith('/hf'))!.status).toBe('not-modified');
    expect(hfRequests[0]!.headers['user-agent']).toMatch(/^papermail\//);
  });

  it('ranks, renders and counts in a dry run, but sends and records nothing', async () => {
    const dry = await app.runDigest({ dryRun: true });
    expect(dry.send).toMatchObject({ dryRun: true, planned: 2, sent: 0 });
    expect(sink.messages).toHaveLength(0);
    expect(app.store.deliveryCounts('2026-12-02')).toEqual({});
    const real = await app.runDigest({});
    expect(real.send.sent).toBe(2);
  });
});
