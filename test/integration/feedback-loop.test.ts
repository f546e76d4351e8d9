import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { tempDir, type TempDir } from '../support/temp-store.js';

const SAMPLE_FEED = `file:${fileURLToPath(new URL('../../data/sample/trending-papers.xml', import.meta.url))}`;
const PUBLIC_URL = 'https://papers.example.org';

describe('"less like this" from a digest, end to end (real SMTP server, web routes, SQLite)', () => {
  let dir: TempDir;
  let sink: SmtpSink;
  let app: App;
  let web: FastifyInstance;
  let clock: Date;

  beforeEach(async () => {
    dir = tempDir();
    sink = await startSmtpSink();
    clock = new Date('2026-12-03T07:00:00Z');
    app = createApp(
      loadConfig({ DATABASE_PATH: dir.file('papermail.db'), FEEDS: SAMPLE_FEED, SMTP_URL: sink.url, PUBLIC_URL, SECRET: 'feedback-loop-secret-0123456789abcdefgh' }),
      silentLogger(),
      { now: () => clock },
    );
    web = await app.webServer();
    for (const email of ['reader@example.org', 'control@example.org']) {
      app.store.addSubscriber({ email, status: 'active', interests: { topics: ['diffusion-models', 'computer-vision'], keywords: [], excluded: [] }, digestSize: 10 }, clock);
    }
  });
  afterEach(async () => {
    await web.close();
    await app.close();
    await sink.close();
    dir.remove();
  });

  async function digestOf(email: string, nth: number) {
    const message = sink.messages.filter((m) => m.envelope.to.includes(email))[nth]!;
    return message.parsed();
  }

  /** Paper id → score (and whether it is about diffusion) in a subscriber's digest of that date, in digest order. */
  function digestScores(email: string, date: string): Map<number, { score: number; diffusion: boolean }> {
    const subscriber = app.store.findSubscriberByEmail(email)!;
    const delivery = app.store.deliveriesOfSubscriber(subscriber.id).find((d) => d.digestDate === date)!;
    const papers = app.store.deliveryPapers(delivery.id, delivery.id).get(delivery.id)!;
    return new Map(papers.map((ranked) => [ranked.paper.id, { score: ranked.score, diffusion: /diffusion/i.test(`${ranked.paper.title} ${ranked.paper.abstract}`) }]));
  }

  /** Positions (0-based) of the papers with "diffusion" in the title, in a digest's text part. */
  function diffusionPositions(text: string): number[] {
    const titles = [...text.matchAll(/^\d+\. (.+)$/gm)].map((match) => match[1]!);
    return titles.flatMap((title, position) => (/diffusion/i.test(title) ? [position] : []));
  }

  it('ranks diffusion papers lower in the next digest of the reader who asked for fewer of them', async () => {
    await app.runDigest({});
    const first = await digestOf('reader@example.org', 0);
    expect(diffusionPositions(first.text!).length).toBeGreaterThan(0);

    // Follow every "Less like this" link under a diffusion paper, as the reader would: open, then press the button.
    const html = first.html as string;
    const lessLinks = [...html.matchAll(/<a href="([^"]+\/less)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'));
    const titles = [...first.text!.matchAll(/^\d+\. (.+)$/gm)].map((match) => match[1]!);
    expect(lessLinks).toHaveLength(titles.length);
    let clicked = 0;
    for (const [position, link] of lessLinks.entries()) {
      if (!/diffusion/i.test(titles[position]!)) continue;
      const path = link.slice(PUBLIC_URL.length);
      const page = await web.inject({ method: 'GET', url: path });
      expect(page.statusCode).toBe(200);
      const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const posted = await web.inject({ method: 'POST', url: path, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(csrf)}` });
      expect(posted.statusCode).toBe(200);
      clicked++;
    }
    expect(clicked).toBeGreaterThan(0);
    const reader = app.store.findSubscriberByEmail('reader@example.org')!;
    expect(app.store.feedbackOf(reader.id).every((f) => f.direction === 'less')).toBe(true);

    clock = new Date('2026-12-04T07:00:00Z');
    await app.runDigest({ ingest: false });
    const readerNext = digestScores('reader@example.org', '2026-12-04');
    const controlNext = digestScores('control@example.org', '2026-12-04');
    // Same interests, same candidates: the score ratio of a paper is the reader's feedback multiplier.
    const ratios = [...readerNext].filter(([id]) => controlNext.has(id)).map(([id, entry]) => ({ diffusion: entry.diffusion, ratio: entry.score / controlNext.get(id)!.score }));
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const diffusion = ratios.filter((r) => r.diffusion).map((r) => r.ratio);
    const others = ratios.filter((r) => !r.diffusion).map((r) => r.ratio);
    expect(diffusion.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    expect(mean(diffusion)).toBeLessThan(mean(others));
    for (const { ratio } of ratios) expect(ratio).toBeGreaterThanOrEqual(0.5 - 1e-9);
    expect([...readerNext.keys()]).not.toEqual([...controlNext.keys()]);
  });
});
