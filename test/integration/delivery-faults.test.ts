import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { tempDir, type TempDir } from '../support/temp-store.js';

const SAMPLE_FEED = `file:${fileURLToPath(new URL('../../data/sample/trending-papers.xml', import.meta.url))}`;
const TOPICS = ['efficient-architectures', 'nlp-llm', 'computer-vision', 'reinforcement-learning', 'diffusion-models'];

/** Deterministic "random": the same messages fail on every run of the test. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('delivery under SMTP faults (real SMTP server, real SQLite)', () => {
  let dir: TempDir;
  let sink: SmtpSink;
  let apps: App[];
  let clock: Date;

  beforeEach(async () => {
    dir = tempDir();
    sink = await startSmtpSink();
    apps = [];
    clock = new Date('2026-12-03T07:00:00Z');
  });
  afterEach(async () => {
    for (const app of apps) await app.close();
    await sink.close();
    dir.remove();
  });

  function openApp(env: Record<string, string> = {}): App {
    const app = createApp(
      loadConfig({
        DATABASE_PATH: dir.file('papermail.db'),
        FEEDS: SAMPLE_FEED,
        SMTP_URL: sink.url,
        MAIL_FROM: 'papermail <digest@papers.example.org>',
        PUBLIC_URL: 'https://papers.example.org',
        SECRET: 'fault-test-secret-0123456789abcdefghij',
        RETRY_BASE_DELAY_MS: '5',
        RETRY_MAX_ATTEMPTS: '8',
        ...env,
      }),
      silentLogger(),
      { now: () => clock },
    );
    apps.push(app);
    return app;
  }

  function addSubscribers(app: App, count: number): string[] {
    const emails = Array.from({ length: count }, (_, i) => `reader${i}@example.org`);
    app.store.addSubscribers(
      emails.map((email, i) => ({ email, status: 'active' as const, interests: { topics: [TOPICS[i % TOPICS.length]!], keywords: [], excluded: [] }, digestSize: 5 })),
      clock,
    );
    return emails;
  }

  const acceptedPerRecipient = () => {
    const counts = new Map<string, number>();
    for (const message of sink.messages) for (const to of message.envelope.to) counts.set(to, (counts.get(to) ?? 0) + 1);
    return counts;
  };

  it('retries 451s with backoff, bounces and suppresses 550s at RCPT, and delivers everyone else exactly once', async () => {
    const random = seededRandom(2026);
    const rejected = new Set(['reader3@example.org', 'reader77@example.org']);
    sink.set({
      rcpt: (address) => (rejected.has(address) ? { code: 550, message: '5.1.1 No such user here' } : null),
      data: () => (random() < 0.2 ? { code: 451, message: '4.3.0 Temporary local problem, try later' } : null),
    });
    const app = openApp();
    const emails = addSubscribers(app, 150);

    const first = await app.runDigest({});
    expect(first.send.planned).toBe(150);
    expect(first.send.retried).toBeGreaterThan(10);
    expect(first.send).toMatchObject({ sent: 148, bounced: 2, failed: 2, uncertain: 0, stoppedEarly: null });

    const again = await app.runDigest({});
    expect(again.send).toMatchObject({ planned: 0, sent: 0 });

    const counts = acceptedPerRecipient();
    for (const email of emails) expect(counts.get(email) ?? 0, email).toBe(rejected.has(email) ? 0 : 1);
    for (const email of rejected) {
      expect(app.store.findSubscriberByEmail(email)!.status).toBe('bounced');
      expect(app.store.suppressionOf(email)?.reason).toMatch(/550/);
    }
  });

  it('never mails a suppressed address again, even removed and re-added, until it confirms', async () => {
    sink.set({ rcpt: (address) => (address === 'reader1@example.org' ? { code: 550, message: 'No such user' } : null) });
    const app = openApp();
    addSubscribers(app, 3);
    await app.runDigest({});
    app.store.removeSubscriber('reader1@example.org');
    app.store.addSubscriber({ email: 'reader1@example.org', status: 'active', interests: { topics: ['nlp-llm'], keywords: [], excluded: [] }, digestSize: 5 }, clock);
    sink.set({ rcpt: () => null });
    clock = new Date('2026-12-04T07:00:00Z');
    const next = await app.runDigest({ ingest: false });
    expect(next.send.skipped).toBe(1);
    expect(acceptedPerRecipient().get('reader1@example.org')).toBeUndefined();

    const subscriber = app.store.findSubscriberByEmail('reader1@example.org')!;
    app.store.setSubscriberStatus(subscriber.id, 'active', clock);
    expect(app.store.suppressionOf('reader1@example.org')).toBeUndefined();
  });

  it('stops after consecutive failures while the server is down, then delivers everything once when it is back', async () => {
    const port = sink.port;
    await sink.close();
    const app = openApp({ SMTP_MAX_CONSECUTIVE_FAILURES: '5', RETRY_BASE_DELAY_MS: '0', RETRY_MAX_WAIT_MS: '0' });
    const emails = addSubscribers(app, 40);

    const down = await app.runDigest({});
    expect(down.send.sent).toBe(0);
    expect(down.send.stoppedEarly).toMatch(/5 sends in a row failed \(smtp:\/\/127\.0\.0\.1:\d+\): is the SMTP server up/);
    expect(app.store.deliveryCounts('2026-12-03')).toMatchObject({ pending: expect.any(Number), failed: expect.any(Number) });

    sink = await startSmtpSink({}, { port });
    const up = await app.runDigest({});
    expect(up.send).toMatchObject({ sent: 40, stoppedEarly: null });
    const counts = acceptedPerRecipient();
    for (const email of emails) expect(counts.get(email), email).toBe(1);
  });

  it('marks a message uncertain when the connection drops during DATA, and resends it only with RESEND_UNCERTAIN', async () => {
    sink.set({ dropDuringData: true });
    const app = openApp({ SMTP_MAX_CONNECTIONS: '1' });
    addSubscribers(app, 1);
    const broken = await app.runDigest({});
    expect(broken.send).toMatchObject({ sent: 0, uncertain: 1 });
    sink.set({ dropDuringData: false });

    const plain = await app.runDigest({});
    expect(plain.send.sent).toBe(0);
    expect(app.store.deliveryCounts('2026-12-03')).toEqual({ uncertain: 1 });

    const resending = openApp({ RESEND_UNCERTAIN: 'true' });
    const resent = await resending.runDigest({});
    expect(resent.send.sent).toBe(1);
    const [message] = sink.messages;
    expect((await message!.parsed()).messageId).toBe(app.messageIdFor(1, '2026-12-03'));
  });

  it('stops at the daily limit and leaves the rest pending for the next run', async () => {
    const app = openApp({ SEND_MAX_PER_DAY: '7', SMTP_MAX_CONNECTIONS: '1' });
    addSubscribers(app, 10);
    const limited = await app.runDigest({});
    expect(limited.send.sent).toBe(7);
    expect(limited.send.stoppedEarly).toMatch(/daily limit of 7 messages \(SEND_MAX_PER_DAY\)/);
    expect(app.store.deliveryCounts('2026-12-03')).toEqual({ sent: 7, pending: 3 });
  });

  it('finishes the messages in flight and leaves no row sending when asked to stop', async () => {
    sink.set({ acceptDelayMs: 20 });
    const app = openApp({ SMTP_MAX_CONNECTIONS: '2' });
    addSubscribers(app, 30);
    const shutdown = new AbortController();
    void sink.waitFor(5).then(() => shutdown.abort());
    const stopped = await app.runDigest({ signal: shutdown.signal });
    expect(stopped.send.stoppedEarly).toMatch(/shutdown/);
    const counts = app.store.deliveryCounts('2026-12-03');
    expect(counts.sending).toBeUndefined();
    expect(counts.sent).toBe(sink.accepted);
    expect(counts.pending).toBe(30 - sink.accepted);
  });

  it('gives up unsent rows of an earlier day instead of sending a stale digest, and offers their papers again', async () => {
    const app = openApp({ SEND_MAX_PER_DAY: '1', SMTP_MAX_CONNECTIONS: '1' });
    addSubscribers(app, 2);
    await app.runDigest({});
    expect(app.store.deliveryCounts('2026-12-03')).toEqual({ sent: 1, pending: 1 });

    clock = new Date('2026-12-04T07:00:00Z');
    const nextDay = openApp({ SMTP_MAX_CONNECTIONS: '1' });
    const summary = await nextDay.runDigest({ ingest: false });
    expect(summary.send.expired).toBe(1);
    expect(nextDay.store.deliveryCounts('2026-12-03')).toEqual({ sent: 1, failed: 1 });
    expect(summary.send).toMatchObject({ planned: 2, sent: 2 });
    const stale = nextDay.store.findSubscriberByEmail(sink.messages[0]!.envelope.to[0] === 'reader0@example.org' ? 'reader1@example.org' : 'reader0@example.org')!;
    const [expiredRow, todayRow] = nextDay.store.deliveriesOfSubscriber(stale.id).reverse();
    expect(expiredRow!.status).toBe('failed');
    const expiredPapers = nextDay.store.deliveryPapers(expiredRow!.id, expiredRow!.id).get(expiredRow!.id)!.map((ranked) => ranked.paper.id);
    const todayPapers = nextDay.store.deliveryPapers(todayRow!.id, todayRow!.id).get(todayRow!.id)!.map((ranked) => ranked.paper.id);
    expect(todayPapers).toEqual(expiredPapers);
    expect((await sink.messages.at(-1)!.parsed()).subject).toMatch(/Fri 4 Dec/);
  });
});
