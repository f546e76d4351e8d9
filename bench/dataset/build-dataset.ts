import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DAY_MS } from '../../src/dates.js';
import type { Paper, Subscriber } from '../../src/domain.js';
import { rankFor } from '../../src/jobs/send-digests.js';
import { buildRankIndex } from '../../src/rank/rank-papers.js';
import { openStore } from '../../src/store/open-store.js';
import { generatePapers } from './generate-papers.js';
import { generateSubscribers } from './generate-subscribers.js';
import { createRandom } from './random.js';
import { loadSourcePapers } from './source-papers.js';

export interface DatasetOptions {
  /** Active subscribers. */
  subscribers: number;
  /** Papers in the run's candidate window. */
  papers: number;
  /** MAX_AGE_DAYS: the candidate window. */
  windowDays: number;
  /** Days of digests already sent before the run. */
  historyDays: number;
  digestSize: number;
  /** The run's clock: papers and history are placed before it. */
  now: Date;
  seed: number;
}

export interface DatasetInfo {
  subscribers: { active: number; total: number };
  papers: { candidates: number; total: number; source: string };
  history: { days: number; deliveries: number; sentPapers: number };
  interests: { meanTopics: number; meanKeywords: number; withExclusions: number };
  fileBytes: number;
  buildMs: number;
}

/** A few subscribers joined during the history: they have fewer (or no) past digests. */
const RECENT_JOINER_SHARE = 0.15;
const PAGE = 1000;

/**
 * Writes a realistic day into a fresh papermail database at `path`: papers over the candidate
 * window and the days before it, subscribers, and `historyDays` of digests already sent (chosen
 * with papermail's own ranker, day by day, never repeating a paper, as real runs would have), so
 * "already sent?" has real work to do. The history's per-paper rows (`delivery_papers`) are left
 * out: no query of a run reads another day's, and they would double the file.
 */
export function buildDataset(path: string, options: DatasetOptions): DatasetInfo {
  const started = performance.now();
  const corpus = loadSourcePapers();
  const store = openStore(path);
  const days = generatePapers(corpus.papers, { candidates: options.papers, windowDays: options.windowDays, olderDays: options.historyDays, seed: options.seed });
  for (const day of days) store.upsertPapers(day.entries, null, seenAt(options.now, day.daysAgo));

  const interests = { topics: 0, keywords: 0, withExclusions: 0 };
  const counts = { active: 0, total: 0 };
  let batch: Parameters<typeof store.addSubscribers>[0][number][] = [];
  const flush = () => {
    store.addSubscribers(batch, new Date(options.now.getTime() - 30 * DAY_MS));
    batch = [];
  };
  for (const subscriber of generateSubscribers({ active: options.subscribers, inactiveShare: 0.05, digestSize: options.digestSize, seed: options.seed })) {
    counts.total++;
    if (subscriber.status === 'active') {
      counts.active++;
      interests.topics += subscriber.interests.topics.length;
      interests.keywords += subscriber.interests.keywords.length;
      if (subscriber.interests.excluded.length > 0) interests.withExclusions++;
    }
    batch.push(subscriber);
    if (batch.length === 10_000) flush();
  }
  if (batch.length > 0) flush();

  const papers = store.papersSeenSince(new Date(0));
  const history = writeHistory(path, papers, options, (afterId) => store.dueSubscribers('0000-00-00', afterId, PAGE));
  store.close();

  const db = new Database(path);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return {
    subscribers: counts,
    papers: { candidates: papers.filter((paper) => paper.firstSeenAt >= new Date(options.now.getTime() - options.windowDays * DAY_MS).toISOString()).length, total: papers.length, source: corpus.from },
    history,
    interests: { meanTopics: interests.topics / counts.active, meanKeywords: interests.keywords / counts.active, withExclusions: interests.withExclusions },
    fileBytes: statSync(path).size,
    buildMs: performance.now() - started,
  };
}

/** Papers of `daysAgo` were first seen an hour before that day's run. */
function seenAt(now: Date, daysAgo: number): Date {
  return new Date(now.getTime() - daysAgo * DAY_MS - 3_600_000);
}

function writeHistory(
  path: string,
  papers: readonly Paper[],
  options: DatasetOptions,
  activePage: (afterId: number) => Subscriber[],
): DatasetInfo['history'] {
  const random = createRandom(options.seed ^ 0x4157);
  // One index per past run, over the papers that run had as candidates.
  const runs = Array.from({ length: options.historyDays }, (_, k) => {
    const daysAgo = options.historyDays - k;
    const runAt = new Date(options.now.getTime() - daysAgo * DAY_MS);
    const from = new Date(runAt.getTime() - options.windowDays * DAY_MS).toISOString();
    const to = runAt.toISOString();
    const candidates = papers.filter((paper) => paper.firstSeenAt >= from && paper.firstSeenAt <= to);
    return { daysAgo, at: to, digestDate: to.slice(0, 10), index: buildRankIndex(candidates) };
  });

  const db = new Database(path);
  db.pragma('synchronous = OFF');
  const insertDelivery = db.prepare(`
    INSERT INTO deliveries (subscriber_id, digest_date, status, message_id, attempts, sent_at, smtp_response, created_at, updated_at)
    VALUES (?, ?, 'sent', ?, 1, ?, '250 OK queued', ?, ?)`);
  const insertSent = db.prepare('INSERT INTO sent_papers (subscriber_id, paper_id, delivery_id) VALUES (?, ?, ?)');
  const totals = { days: options.historyDays, deliveries: 0, sentPapers: 0 };
  const writePage = db.transaction((subscribers: readonly Subscriber[]) => {
    for (const subscriber of subscribers) {
      const daysSubscribed = random.chance(RECENT_JOINER_SHARE) ? random.int(0, options.historyDays - 1) : options.historyDays;
      const sent = new Set<number>();
      for (const run of runs) {
        if (run.daysAgo > daysSubscribed) continue;
        const ranked = rankFor(run.index, subscriber, sent);
        if (ranked.length === 0) continue;
        const deliveryId = Number(
          insertDelivery.run(subscriber.id, run.digestDate, `<digest.${run.digestDate}.${subscriber.id}@papers.example.org>`, run.at, run.at, run.at).lastInsertRowid,
        );
        totals.deliveries++;
        for (const { paper } of ranked) {
          sent.add(paper.id);
          insertSent.run(subscriber.id, paper.id, deliveryId);
          totals.sentPapers++;
        }
      }
    }
  });
  for (let afterId = 0; ; ) {
    const page = activePage(afterId);
    if (page.length === 0) break;
    afterId = page.at(-1)!.id;
    writePage(page);
  }
  db.close();
  return totals;
}
