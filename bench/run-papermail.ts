/**
 * Child step: one real digest run, papermail's own code path end to end: `createApp` from a
 * validated config, `app.runDigest({ ingest: false })` (the run lock, the plan phase, the send
 * phase, the run record), the real SMTP mailer (its worker thread of connections) into the sink process on 127.0.0.1.
 *
 * Nothing of papermail is replaced. To split the time into stages, the store's, renderer's and
 * links' methods are wrapped on the live objects with timers (about a microsecond per digest);
 * the plan phase ends at the first `sendableDeliveries` call, where the send phase starts.
 */
import { createHistogram } from 'node:perf_hooks';
import type { RunSummary } from '../src/jobs/run-digest.js';
import { createApp, silentLogger } from './support/shipped.js';
import { childInput, childMain } from './support/child.js';
import { kernelMemory, mark, sampleMemory, since, timeMethods, watchEventLoop, type Mark, type MemoryPeaks, type MethodTotals, type Span } from './support/measure.js';
import { benchConfig, type RunSettings } from './support/settings.js';

export interface PapermailRunInput extends RunSettings {
  digestDate: string;
  /** The run's clock starts here and advances with real time. */
  now: string;
}

export interface PapermailRunResult {
  summary: RunSummary['send'];
  /** MJML compiled and validated (once per process, in a worker thread while the plan phase runs): until it was ready. */
  compile: Span;
  /** Rank, dedupe, ledger writes: from the start of the run to the first page of sendable rows. */
  plan: Span;
  /** Render, MIME, SMTP, ledger: from the first page of sendable rows to the end of the run. */
  send: Span;
  /** The whole run: compile (alongside the plan) + plan + send, and the run's lock and record around them. */
  total: Span;
  /** Time inside papermail's synchronous methods, by method, per phase. */
  planMethods: Record<string, MethodTotals>;
  sendMethods: Record<string, MethodTotals>;
  /** mailer.send: from the call to the server's 250 reply, in ms. */
  sendLatencyMs: { mean: number; p50: number; p99: number; max: number };
  memory: {
    baselineRssBytes: number;
    rssAfterPlanBytes: number;
    heapAfterPlanBytes: number;
    /** Heap still in use after a full GC at the end of the run (the app still open): what the run retained. */
    heapRetainedBytes: number | null;
    peaks: MemoryPeaks;
  };
  eventLoop: { maxMs: number; p99Ms: number };
}

/** The store's methods a run calls, by phase (those the current store lacks are skipped). */
const PLAN_METHODS = ['recoverInterruptedDeliveries', 'expireStaleDeliveries', 'papersSeenSince', 'dueSubscribers', 'sentPaperIds', 'feedbackInRange', 'createDeliveries'];
const SEND_METHODS = [
  'countSentSince', 'sendableDeliveries', 'deliveryPapers', 'subscribersOfDeliveries', 'getSubscriber', 'suppressionOf',
  'commitSendBatch', 'releaseDeliveries', 'markDeliveryFailed', 'markDeliveryUncertain', 'nextRetryAt',
];

childMain<PapermailRunResult>(async () => {
  const input = childInput<PapermailRunInput>();
  const baselineRssBytes = kernelMemory().rssBytes ?? process.memoryUsage().rss;
  const memory = sampleMemory(50);
  const eventLoop = watchEventLoop();
  const clockStart = performance.now();
  const base = new Date(input.now).getTime();
  const config = benchConfig(input);
  const app = createApp(config, silentLogger(), { now: () => new Date(base + performance.now() - clockStart) });

  const planMethods: Record<string, MethodTotals> = {};
  const sendMethods: Record<string, MethodTotals> = {};
  // As in `papermail run`, the template compiles (in its worker thread) while the plan phase runs.
  const start = mark();
  let compile: Span | undefined;
  const compiling = app.renderer().then((renderer) => {
    compile = since(start);
    timeMethods(renderer, ['render'], sendMethods);
  });
  timeMethods(app.store, PLAN_METHODS, planMethods);
  timeMethods(app.store, SEND_METHODS, sendMethods);
  timeMethods(app.links, ['unsubscribeUrl', 'manageUrl', 'feedbackBaseUrl'], sendMethods);
  timeMethods(app, ['messageIdFor'], planMethods);

  let planEnd: (Mark & { rss: number; heap: number }) | undefined;
  const sendable = app.store.sendableDeliveries;
  app.store.sendableDeliveries = (...args) => {
    if (!planEnd) {
      const usage = process.memoryUsage();
      planEnd = { ...mark(), rss: usage.rss, heap: usage.heapUsed };
    }
    return sendable(...args);
  };
  const latency = createHistogram();
  const send = app.mailer.send.bind(app.mailer);
  app.mailer.send = async (message) => {
    const sentAt = performance.now();
    try {
      return await send(message);
    } finally {
      latency.record(Math.max(1, Math.round((performance.now() - sentAt) * 1000)));
    }
  };

  const runStart = mark();
  const summary = await app.runDigest({ digestDate: input.digestDate, ingest: false });
  const end = mark();
  await compiling;
  const loop = eventLoop.stop();
  const peaks = memory.stop();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapRetainedBytes = gc ? process.memoryUsage().heapUsed : null;
  await app.close();
  const boundary = planEnd ?? end;
  return {
    summary: summary.send,
    compile: compile!,
    plan: since(runStart, boundary),
    send: since(boundary, end),
    total: since(start, end),
    planMethods,
    sendMethods,
    sendLatencyMs: { mean: latency.mean / 1000, p50: latency.percentile(50) / 1000, p99: latency.percentile(99) / 1000, max: latency.max / 1000 },
    memory: { baselineRssBytes, rssAfterPlanBytes: planEnd?.rss ?? 0, heapAfterPlanBytes: planEnd?.heap ?? 0, heapRetainedBytes, peaks },
    eventLoop: loop,
  };
});
