/**
 * Child step: papermail's stages one at a time on the benchmark day, each with its own clock, to
 * say where a run's time goes: the rank index, ranking every due subscriber, the set-based
 * "already sent?" read, rendering, composing and building MIME, link tokens, and ledger writes.
 * Works on its own copy of the day's database (the ledger step writes to it).
 */
import type { AcceptedDelivery, PlannedDelivery } from '../src/store/deliveries.js';
import { createApp, rankFor, silentLogger } from './support/shipped.js';
import type { DigestLinks, RenderedEmail } from '../src/render/render-digest.js';
import { childInput, childMain } from './support/child.js';
import { mark, percentile, since, timeSync, type Span } from './support/measure.js';
import { buildRaw, candidateIndex, composeSample, digestLinks, sampleDigests, UNUSED_MAILER, type SampleDigest } from './support/sample-digests.js';
import { benchConfig, type RunSettings } from './support/settings.js';

export interface MicroInput extends RunSettings {
  digestDate: string;
  now: string;
  /** Digests rendered for the render figures. */
  renderSamples: number;
  /** Messages composed and built for the MIME figures. */
  mimeSamples: number;
  /** Subscribers whose deliveries the ledger step writes. */
  ledgerSubscribers: number;
}

export interface MicroResult {
  candidates: number;
  indexBuild: Span;
  rank: {
    subscribers: number;
    total: Span;
    /** The first page (1,000 subscribers), which fills the index's per-topic and per-keyword memos. */
    firstPage: Span;
    perSubscriberMicros: number;
    meanPapers: number;
    fullDigests: number;
    noMatch: number;
  };
  alreadySent: { subscribers: number; rows: number; total: Span; per10kMs: number };
  render: { digests: number; meanMs: number; p99Ms: number; fifteenPaperMeanMs: number | null; meanHtmlBytes: number; meanTextBytes: number; meanPapers: number };
  compose: { messages: number; meanMicros: number };
  /** `buildMime` building the whole message (headers, quoted-printable text and HTML): CPU per message. */
  mime: { messages: number; meanMs: number; meanRawBytes: number; meanRawBytes15: number | null };
  /** Link tokens per digest: preferences, unsubscribe and the feedback links' token; that last one alone. */
  links: { perDigestMicros: number; messageIdMicros: number; feedbackPerDigestMicros: number | null };
  ledger: {
    deliveries: number;
    /** `createDeliveries`: deliveries + their paper rows, one transaction per page. */
    createRows: number;
    create: Span;
    createRowsPerSecond: number;
    /** claim + mark sent, one write transaction each, per delivery (as the send phase commits them). */
    perDelivery: Span;
    perDeliveryMicros: number;
    sentRowsPerSecond: number;
  };
}

childMain<MicroResult>(async () => {
  const input = childInput<MicroInput>();
  const app = createApp(benchConfig(input), silentLogger(), { now: () => new Date(input.now), mailer: UNUSED_MAILER });
  const renderer = await app.renderer();

  const built = timeSync(() => candidateIndex(app));
  const { index, minPaperId, candidates } = built.value;

  // Ranking and "already sent?", page by page as the plan phase reads them; each timed alone.
  const rankTotal: Span = { wallMs: 0, cpuMs: 0 };
  const sentTotal: Span = { wallMs: 0, cpuMs: 0 };
  let firstPage: Span | null = null;
  let subscribers = 0;
  let sentRows = 0;
  let papers = 0;
  let fullDigests = 0;
  let noMatch = 0;
  for (let afterId = 0; ; ) {
    const page = app.store.dueSubscribers(input.digestDate, afterId, 1000);
    if (page.length === 0) break;
    afterId = page.at(-1)!.id;
    const read = timeSync(() => app.store.sentPaperIds(page[0]!.id, afterId, minPaperId));
    add(sentTotal, read.span);
    for (const set of read.value.values()) sentRows += set.length;
    const ranked = timeSync(() => page.map((subscriber) => rankFor(index, subscriber, read.value.get(subscriber.id)).length));
    add(rankTotal, ranked.span);
    firstPage ??= ranked.span;
    subscribers += page.length;
    for (const count of ranked.value) {
      papers += count;
      if (count === 0) noMatch++;
      if (count === input.digestSize) fullDigests++;
    }
  }

  // Rendering, links, composing and MIME on real digests of the day.
  const samples = sampleDigests(app, index, minPaperId, input.digestDate, input.renderSamples);
  const linkTimes = timeSync(() => samples.map((digest) => digestLinks(app, digest.subscriber.id)));
  const messageIds = timeSync(() => samples.map((digest) => app.messageIdFor(digest.subscriber.id, input.digestDate)));
  // The feedback links' token (one per digest, included in the links above), measured on its own.
  const feedbackTimes = timeSync(() => samples.reduce((count, digest) => count + app.links.feedbackBaseUrl(digest.subscriber.id).length, 0));
  // One pass to fill the renderer's per-paper cache, as the first digests of a run do; then the measured pass.
  samples.forEach((digest, i) => renderDigest(digest, linkTimes.value[i]!));
  const renderTimes: number[] = [];
  const rendered: RenderedEmail[] = [];
  let htmlBytes = 0;
  let textBytes = 0;
  const fifteen: number[] = [];
  samples.forEach((digest, i) => {
    const start = performance.now();
    const email = renderDigest(digest, linkTimes.value[i]!);
    const ms = performance.now() - start;
    renderTimes.push(ms);
    if (digest.papers.length === 15) fifteen.push(ms);
    rendered.push(email);
    htmlBytes += Buffer.byteLength(email.html);
    textBytes += Buffer.byteLength(email.text);
  });

  const mimeCount = Math.min(input.mimeSamples, samples.length);
  const composed = timeSync(() => samples.slice(0, mimeCount).map((digest, i) => composeSample(app, rendered[i]!, digest, input.digestDate, linkTimes.value[i]!)));
  // One pass to encode the shared pieces (template, papers) once, as the first digests of a run do; then the measured pass.
  for (const message of composed.value) buildRaw(message, app.config.mail.from);
  const mimeStart = mark();
  let rawBytes = 0;
  let raw15 = 0;
  let count15 = 0;
  for (const [i, message] of composed.value.entries()) {
    const raw = buildRaw(message, app.config.mail.from);
    rawBytes += raw.length;
    if (samples[i]!.papers.length === 15) {
      raw15 += raw.length;
      count15++;
    }
  }
  const mime = since(mimeStart);

  // Ledger writes: the plan phase's batched inserts, then the send phase's per-delivery commits.
  const planned: PlannedDelivery[][] = [];
  let plannedCount = 0;
  let createRows = 0;
  for (let afterId = 0; plannedCount < input.ledgerSubscribers; ) {
    const page = app.store.dueSubscribers(input.digestDate, afterId, 1000);
    if (page.length === 0) break;
    afterId = page.at(-1)!.id;
    const sent = app.store.sentPaperIds(page[0]!.id, afterId, minPaperId);
    const batch: PlannedDelivery[] = [];
    for (const subscriber of page) {
      const ranked = rankFor(index, subscriber, sent.get(subscriber.id));
      if (ranked.length === 0) continue;
      batch.push({ subscriberId: subscriber.id, digestDate: input.digestDate, messageId: app.messageIdFor(subscriber.id, input.digestDate), papers: ranked });
      createRows += 1 + ranked.length;
    }
    planned.push(batch);
    plannedCount += batch.length;
  }
  const create = timeSync(() => planned.reduce((sum, batch) => sum + app.store.createDeliveries(batch, app.now()), 0));
  const rows = app.store.sendableDeliveries(input.digestDate, app.now(), 0, plannedCount, { includeUncertain: false });
  // As the send phase commits: a batch's claims in one transaction, with the previous batch's sent marks.
  const perDelivery = timeSync(() => {
    let accepted: AcceptedDelivery[] = [];
    for (let start = 0; start < rows.length; start += 50) {
      const ids = rows.slice(start, start + 50).map((delivery) => delivery.id);
      app.store.commitSendBatch(accepted, ids, app.now());
      accepted = ids.map((id) => ({ id, response: '250 OK queued', at: app.now() }));
    }
    app.store.commitSendBatch(accepted, [], app.now());
  });
  const sentPaperRows = createRows - rows.length;
  await app.close();

  return {
    candidates,
    indexBuild: built.span,
    rank: {
      subscribers,
      total: rankTotal,
      firstPage: firstPage ?? { wallMs: 0, cpuMs: 0 },
      perSubscriberMicros: (rankTotal.wallMs * 1000) / Math.max(1, subscribers),
      meanPapers: papers / Math.max(1, subscribers - noMatch),
      fullDigests,
      noMatch,
    },
    alreadySent: { subscribers, rows: sentRows, total: sentTotal, per10kMs: (sentTotal.wallMs * 10_000) / Math.max(1, subscribers) },
    render: {
      digests: samples.length,
      meanMs: mean(renderTimes),
      p99Ms: percentile(renderTimes, 99),
      fifteenPaperMeanMs: fifteen.length > 0 ? mean(fifteen) : null,
      meanHtmlBytes: htmlBytes / Math.max(1, samples.length),
      meanTextBytes: textBytes / Math.max(1, samples.length),
      meanPapers: samples.reduce((sum, digest) => sum + digest.papers.length, 0) / Math.max(1, samples.length),
    },
    compose: { messages: mimeCount, meanMicros: (composed.span.wallMs * 1000) / Math.max(1, mimeCount) },
    // CPU, not wall: building awaits stream callbacks, and the wall clock would count the idle turns between them.
    mime: { messages: mimeCount, meanMs: mime.cpuMs / Math.max(1, mimeCount), meanRawBytes: rawBytes / Math.max(1, mimeCount), meanRawBytes15: count15 > 0 ? raw15 / count15 : null },
    links: {
      perDigestMicros: (linkTimes.span.wallMs * 1000) / Math.max(1, samples.length),
      messageIdMicros: (messageIds.span.wallMs * 1000) / Math.max(1, samples.length),
      feedbackPerDigestMicros: feedbackTimes.value > 0 ? (feedbackTimes.span.wallMs * 1000) / Math.max(1, samples.length) : null,
    },
    ledger: {
      deliveries: rows.length,
      createRows,
      create: create.span,
      createRowsPerSecond: createRows / (create.span.wallMs / 1000),
      perDelivery: perDelivery.span,
      perDeliveryMicros: (perDelivery.span.wallMs * 1000) / Math.max(1, rows.length),
      // Each sent delivery: its row updated twice, its papers copied into sent_papers.
      sentRowsPerSecond: (rows.length * 2 + sentPaperRows) / (perDelivery.span.wallMs / 1000),
    },
  };

  function renderDigest(digest: SampleDigest, links: DigestLinks): RenderedEmail {
    return renderer.render({ subscriber: digest.subscriber, date: input.digestDate, papers: digest.papers }, links);
  }
});

function add(total: Span, span: Span): void {
  total.wallMs += span.wallMs;
  total.cpuMs += span.cpuMs;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}
