import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import { DAY_MS } from '../dates.js';
import type { Delivery, Digest, Feedback, Mailer, OutgoingMessage, Paper, RankedPaper, Subscriber } from '../domain.js';
import { describeError } from '../errors.js';
import type { Links } from '../links.js';
import type { Logger } from '../log.js';
import { MailError } from '../mail/errors.js';
import { composeDigestMessage } from '../mail/compose-digest-message.js';
import { buildRankIndex, rankPapers, type RankIndex, type RankOptions } from '../rank/rank-papers.js';
import type { DigestLinks, DigestRenderer } from '../render/render-digest.js';
import type { PlannedDelivery } from '../store/deliveries.js';
import type { Store } from '../store/open-store.js';
import { createLedgerBatch } from './ledger-batch.js';
import type { OnRunProgress } from './run-progress.js';
import { createSendRate } from './send-rate.js';

export interface SendDigestsDeps {
  store: Pick<
    Store,
    | 'papersSeenSince'
    | 'dueSubscribers'
    | 'sentPaperIds'
    | 'getSubscriber'
    | 'createDeliveries'
    | 'expireStaleDeliveries'
    | 'sendableDeliveries'
    | 'deliveryPapers'
    | 'subscribersOfDeliveries'
    | 'suppressionOf'
    | 'commitSendBatch'
    | 'releaseDeliveries'
    | 'markDeliveryFailed'
    | 'markDeliveryUncertain'
    | 'recoverInterruptedDeliveries'
    | 'nextRetryAt'
    | 'countSentSince'
    | 'setSubscriberStatus'
    | 'feedbackInRange'
    | 'getPaper'
    | 'countDueSubscribers'
    | 'countSendableDeliveries'
  >;
  mailer: Mailer;
  /** The compiled template; compiling (in a worker thread) overlaps the plan phase, which does not need it. */
  renderer: Promise<DigestRenderer>;
  links: Links;
  /** Stable per (subscriber, digest date): a retry carries the same Message-ID. */
  messageIdFor: (subscriberId: number, digestDate: string) => string;
  listId: string;
  log: Logger;
  now: () => Date;
}

export interface RetryPolicy {
  /** Attempts per message, first one included; then the row stays `failed` for good. */
  maxAttempts: number;
  /** Backoff before attempt n+1: base × 2^(n−1), with jitter. */
  baseDelayMs: number;
  /** A run waits for retries due within this long; later ones are left to the next run. */
  maxWaitMs: number;
}

export interface SendDigestsOptions {
  digestDate: string;
  maxAgeDays: number;
  /** Rank and render, but send nothing and write nothing to the ledger. */
  dryRun: boolean;
  /**
   * Messages handed to the mailer and not settled yet, at most. A few per SMTP connection keep every
   * connection busy; a crash leaves at most a few times this many rows `uncertain`.
   */
  concurrency: number;
  /** Subscribers (and deliveries) read per page: memory stays flat however many there are. */
  pageSize?: number;
  /** Resend rows a crash left `uncertain` (same Message-ID, so clients that dedupe show it once). */
  resendUncertain?: boolean;
  retry?: RetryPolicy;
  /** Consecutive failed sends after which the run stops instead of hammering a dead server. */
  maxConsecutiveFailures?: number;
  /** Relay limits: messages started per second, and accepted per rolling 24 hours (0: none). */
  rate?: { perSecond: number; perDay: number };
  /** Aborting stops new sends; messages in flight finish and are recorded. */
  signal?: AbortSignal;
  /** Told how far the run is, after every page planned and every message settled. */
  onProgress?: OnRunProgress;
}

export interface SendSummary {
  digestDate: string;
  dryRun: boolean;
  candidatePapers: number;
  /** Due subscribers ranked this run. */
  subscribersRanked: number;
  /** Digests decided this run (ledger rows written, or that would be in a dry run). */
  planned: number;
  /** Due subscribers with nothing new that matches: no email today. */
  noMatch: number;
  sent: number;
  /** Of `sent`, messages that went out on a second or later attempt. */
  retried: number;
  /** Rows that ended this run `failed` (permanently, or waiting for a retry in a later run). */
  failed: number;
  bounced: number;
  uncertain: number;
  /** Rows not sent because the subscriber left, paused or is suppressed since the digest was planned. */
  skipped: number;
  /** Rows a previous, interrupted run left `sending`, now `uncertain`. */
  recovered: number;
  /** Unsent rows of earlier dates, given up (their papers stay candidates). */
  expired: number;
  /** Set when the run stopped before sending everything (dead server, daily limit, shutdown). */
  stoppedEarly: string | null;
}

const DEFAULT_PAGE_SIZE = 1000;
/**
 * Ledger rows read per page in the send phase. A page lives until its last message is settled; kept
 * under what one young-generation GC cycle sends, its rows die young instead of piling up in the old
 * generation (at 1,000 rows a page, the 100k run's heap peaked at 256 MiB for 49 MiB live).
 */
const SEND_PAGE_SIZE = 200;
/**
 * Rows claimed in one transaction, at most: no more than are in flight at once, and with a rate limit
 * about a quarter second of sends, so a crash leaves few claimed rows that never reached the server.
 */
const MAX_CLAIM_BATCH = 50;
const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 30_000, maxWaitMs: 5 * 60_000 };

/**
 * The day's digests: decide each due subscriber's papers (ranked, never one already sent), write the
 * decisions to the ledger, then send every sendable row, committing each state before the next SMTP step:
 * `pending → sending` (claimed) `→ sent | failed | uncertain`. Retries transient failures with backoff
 * within the run; what is left is picked up by the next run.
 */
export async function sendDigests(deps: SendDigestsDeps, options: SendDigestsOptions): Promise<SendSummary> {
  const { store, now } = deps;
  const log = deps.log.child({ stage: 'send', digestDate: options.digestDate });
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const retry = options.retry ?? DEFAULT_RETRY;
  const summary: SendSummary = {
    digestDate: options.digestDate,
    dryRun: options.dryRun,
    candidatePapers: 0,
    subscribersRanked: 0,
    planned: 0,
    noMatch: 0,
    sent: 0,
    retried: 0,
    failed: 0,
    bounced: 0,
    uncertain: 0,
    skipped: 0,
    recovered: 0,
    expired: 0,
    stoppedEarly: null,
  };
  if (!options.dryRun) {
    summary.recovered = store.recoverInterruptedDeliveries(now());
    if (summary.recovered > 0) log.warn({ recovered: summary.recovered }, 'deliveries interrupted by an earlier crash are now uncertain');
    summary.expired = store.expireStaleDeliveries(options.digestDate, now());
  }

  const candidates = store.papersSeenSince(new Date(now().getTime() - options.maxAgeDays * DAY_MS));
  summary.candidatePapers = candidates.length;
  const candidateById = new Map(candidates.map((paper) => [paper.id, paper]));
  const minPaperId = candidates.reduce((min, paper) => Math.min(min, paper.id), Number.MAX_SAFE_INTEGER);
  const { onProgress } = options;
  const dueTotal = onProgress ? store.countDueSubscribers(options.digestDate) : 0;

  // Set before any digest is rendered: by the dry run's plan phase, or before the send phase.
  let renderer: DigestRenderer | undefined;
  await planAll();
  log.info({ candidatePapers: summary.candidatePapers, planned: summary.planned, noMatch: summary.noMatch }, 'digests planned');
  if (options.dryRun) return summary;
  renderer = await deps.renderer;

  const sentInLastDay = store.countSentSince(new Date(now().getTime() - DAY_MS));
  const perDay = options.rate?.perDay ?? 0;
  const perSecond = options.rate?.perSecond ?? 0;
  const rate = createSendRate(perSecond, options.signal);
  const maxInFlight = Math.max(1, options.concurrency);
  // A crash leaves at most three batches' worth of rows `uncertain`: in flight, claimed and not yet
  // handed over, and accepted but not yet committed as sent.
  const claimBatch = Math.max(1, Math.min(MAX_CLAIM_BATCH, maxInFlight, perSecond > 0 ? Math.floor(perSecond / 4) : Infinity));
  const maxConsecutiveFailures = options.maxConsecutiveFailures ?? 10;
  const ledger = createLedgerBatch(store, now, { maxBuffered: maxInFlight, flushAfterMs: 10 });
  let consecutiveFailures = 0;
  /** Rows whose latest attempt in this run failed (a later successful retry takes them out). */
  const failedIds = new Set<number>();

  await sendPass(now());
  // Transient failures come back after their backoff; wait for those due soon, leave the rest to the next run.
  while (summary.stoppedEarly === null && !options.signal?.aborted) {
    const due = store.nextRetryAt(options.digestDate);
    if (!due) break;
    const waitMs = due.getTime() - now().getTime();
    if (waitMs > retry.maxWaitMs) break;
    if (waitMs > 0) await sleep(waitMs, undefined, { signal: options.signal }).catch(() => {});
    // "As of" the retry time we waited for, so a frozen test clock cannot keep rows from coming due.
    await sendPass(new Date(Math.max(now().getTime(), due.getTime())));
  }
  summary.failed = failedIds.size;
  if (options.signal?.aborted && summary.stoppedEarly === null) summary.stoppedEarly = 'stopped by a shutdown request; the next run sends the rest';
  log.info({ ...summary }, 'digests sent');
  return summary;

  /**
   * The plan phase, page by page. The rank index (and its memos) lives only in here: the send phase
   * does not keep it, or the memory it holds, alive.
   */
  async function planAll(): Promise<void> {
    const index = buildRankIndex(candidates);
    const clickedPapers = new PaperLookup(candidates, (id) => store.getPaper(id));
    if (options.dryRun) renderer = await deps.renderer;
    for (let afterId = 0; !options.signal?.aborted; ) {
      const subscribers = store.dueSubscribers(options.digestDate, afterId, pageSize);
      if (subscribers.length === 0) break;
      afterId = subscribers.at(-1)!.id;
      const planned = planPage(index, clickedPapers, subscribers);
      if (options.dryRun) {
        for (const delivery of planned) renderDigest(store.getSubscriber(delivery.subscriberId)!, delivery.papers);
      } else {
        store.createDeliveries(planned, now());
      }
      onProgress?.({ phase: 'plan', done: summary.subscribersRanked, total: Math.max(dueTotal, summary.subscribersRanked) });
      // Planning is synchronous work; yield between pages so the run lock's heartbeat (and signals) get through.
      await setImmediate();
    }
  }

  function planPage(index: RankIndex, clickedPapers: PaperLookup, subscribers: readonly Subscriber[]): PlannedDelivery[] {
    const [fromId, toId] = [subscribers[0]!.id, subscribers.at(-1)!.id];
    const sent = candidates.length === 0 ? new Map<number, Float64Array>() : store.sentPaperIds(fromId, toId, minPaperId);
    const feedback = candidates.length === 0 ? new Map<number, Feedback[]>() : store.feedbackInRange(fromId, toId);
    const planned: PlannedDelivery[] = [];
    for (const subscriber of subscribers) {
      summary.subscribersRanked++;
      const clicks = feedback.get(subscriber.id);
      const papers = candidates.length === 0 ? [] : rankFor(index, subscriber, sent.get(subscriber.id), clicks && clickedPapers.feedback(clicks));
      if (papers.length === 0) {
        summary.noMatch++;
        continue;
      }
      planned.push({ subscriberId: subscriber.id, digestDate: options.digestDate, messageId: deps.messageIdFor(subscriber.id, options.digestDate), papers });
      summary.planned++;
    }
    return planned;
  }

  function renderDigest(subscriber: Subscriber, papers: readonly RankedPaper[]) {
    const digest: Digest = { subscriber, date: options.digestDate, papers: [...papers] };
    const links: DigestLinks = {
      manageUrl: deps.links.manageUrl(subscriber.id),
      unsubscribeUrl: deps.links.unsubscribeUrl(subscriber.id),
      feedbackBaseUrl: deps.links.feedbackBaseUrl(subscriber.id),
    };
    return { rendered: renderer!.render(digest, links), links };
  }

  function stop(reason: string): void {
    if (summary.stoppedEarly !== null) return;
    summary.stoppedEarly = reason;
    log.error({ reason }, 'stopping the run early');
  }

  /**
   * One pass over the sendable rows as of `asOf`, a page at a time: each batch is rendered, claimed
   * in one transaction, then handed to the mailer, at most `maxInFlight` messages unsettled at once.
   */
  async function sendPass(asOf: Date): Promise<void> {
    const canSend = () => summary.stoppedEarly === null && !options.signal?.aborted;
    const includeUncertain = options.resendUncertain ?? false;
    const progress = { total: onProgress ? store.countSendableDeliveries(options.digestDate, asOf, { includeUncertain }) : 0, done: 0 };
    const settled = () => {
      progress.done++;
      onProgress?.({ phase: 'send', done: progress.done, total: Math.max(progress.total, progress.done), sent: summary.sent, failed: failedIds.size + summary.uncertain });
    };
    const inFlight = new Set<Promise<void>>();
    for (let afterId = 0; canSend(); ) {
      const deliveries = store.sendableDeliveries(options.digestDate, asOf, afterId, Math.min(pageSize, SEND_PAGE_SIZE), { includeUncertain });
      if (deliveries.length === 0) break;
      afterId = deliveries.at(-1)!.id;
      const papers = store.deliveryPapers(deliveries[0]!.id, afterId, candidateById);
      const subscribers = store.subscribersOfDeliveries(deliveries[0]!.id, afterId);
      for (let start = 0; start < deliveries.length && canSend(); start += claimBatch) {
        const batch: ReadyMessage[] = [];
        let dailyLimitReached = false;
        for (const delivery of deliveries.slice(start, start + claimBatch)) {
          if (perDay > 0 && sentInLastDay + summary.sent + inFlight.size + batch.length >= perDay) {
            dailyLimitReached = true;
            break;
          }
          const ready = prepare(delivery, subscribers.get(delivery.subscriberId), papers.get(delivery.id) ?? []);
          if (ready) batch.push(ready);
          else settled();
        }
        // Committed before any of these SMTP transactions starts: a crash from here on leaves `sending`,
        // which the next run reports as `uncertain` instead of silently sending twice.
        const claimed = ledger.claim(batch.map((ready) => ready.delivery.id));
        const unsent: number[] = [];
        for (const ready of batch) {
          if (!claimed.has(ready.delivery.id)) continue; // another run has it, or it is done
          if (canSend()) await rate.take();
          while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
          if (!canSend()) {
            unsent.push(ready.delivery.id);
            continue;
          }
          const sending: Promise<void> = sendOne(ready).finally(() => {
            inFlight.delete(sending);
            settled();
          });
          inFlight.add(sending);
        }
        // Claimed but never handed over (the run is stopping): back to `pending`, for the next run.
        store.releaseDeliveries(unsent, now());
        if (dailyLimitReached) stop(`the daily limit of ${perDay} messages (SEND_MAX_PER_DAY) is reached; the next run sends the rest`);
      }
    }
    await Promise.all(inFlight);
    ledger.flush();
  }

  /** The message for a row, or null when the row must not go out (it is settled here, as skipped or failed). */
  function prepare(delivery: Delivery, subscriber: Subscriber | undefined, papers: RankedPaper[]): ReadyMessage | null {
    const suppressed = subscriber ? store.suppressionOf(subscriber.email) : undefined;
    if (!subscriber || subscriber.status !== 'active' || suppressed) {
      const why = suppressed ? `address suppressed (${suppressed.reason} since ${suppressed.since})` : `subscriber is ${subscriber?.status ?? 'removed'}`;
      store.markDeliveryFailed(delivery.id, `not sent: ${why}`, null, now());
      summary.skipped++;
      return null;
    }
    try {
      const { rendered, links } = renderDigest(subscriber, papers);
      const message = composeDigestMessage({
        to: subscriber.email,
        subject: rendered.subject,
        html: rendered.htmlPieces,
        text: rendered.textPieces,
        messageId: delivery.messageId,
        date: now(),
        listId: deps.listId,
        unsubscribeUrl: links.unsubscribeUrl,
        manageUrl: links.manageUrl,
      });
      return { delivery, subscriber, message };
    } catch (thrown) {
      // A digest that cannot be built now will not build on a retry either: fail the row, go on.
      const reason = describeError(thrown);
      store.markDeliveryFailed(delivery.id, `not sent: ${reason}`, null, now());
      failedIds.add(delivery.id);
      log.error({ subscriberId: subscriber.id, deliveryId: delivery.id, error: reason }, 'digest could not be built');
      countFailure();
      return null;
    }
  }

  function countFailure(): void {
    consecutiveFailures++;
    if (consecutiveFailures >= maxConsecutiveFailures) {
      stop(`${consecutiveFailures} sends in a row failed (${deps.mailer.describe()}): is the SMTP server up and accepting? The next run picks up where this one stopped.`);
    }
  }

  async function sendOne({ delivery, subscriber, message }: ReadyMessage): Promise<void> {
    const attempt = delivery.attempts + 1;
    try {
      const accepted = await deps.mailer.send(message);
      ledger.accepted(delivery.id, accepted.response);
      failedIds.delete(delivery.id);
      summary.sent++;
      if (attempt > 1) summary.retried++;
      consecutiveFailures = 0;
      return;
    } catch (thrown) {
      const error = thrown instanceof MailError ? thrown : null;
      const reason = describeError(thrown);
      // Made only for a failure: a child logger per message sent would be work on the hot path.
      const itemLog = log.child({ subscriberId: subscriber.id, deliveryId: delivery.id });
      if (error?.kind === 'uncertain') {
        store.markDeliveryUncertain(delivery.id, reason, now());
        summary.uncertain++;
        itemLog.warn({ error: reason }, 'delivery uncertain: the connection broke while the message was being sent');
      } else if (error?.kind === 'permanent') {
        store.markDeliveryFailed(delivery.id, reason, null, now());
        failedIds.add(delivery.id);
        if (error.command === 'RCPT TO') {
          store.setSubscriberStatus(subscriber.id, 'bounced', now(), reason);
          summary.bounced++;
        }
        itemLog.warn({ error: reason, bounced: error.command === 'RCPT TO' }, 'delivery failed permanently');
      } else {
        const nextAttemptAt = attempt < retry.maxAttempts ? new Date(now().getTime() + backoffMs(attempt, retry.baseDelayMs)) : null;
        store.markDeliveryFailed(delivery.id, reason, nextAttemptAt, now());
        failedIds.add(delivery.id);
        itemLog.warn({ error: reason, attempt, nextAttemptAt }, nextAttemptAt ? 'delivery failed; will retry' : 'delivery failed; no attempts left');
      }
    }
    countFailure();
  }
}

/** A claimed-to-be row with its message built. */
interface ReadyMessage {
  delivery: Delivery;
  subscriber: Subscriber;
  message: OutgoingMessage;
}

/** Ranks a subscriber's unsent candidates; shared by the run and by previews. */
export function rankFor(index: RankIndex, subscriber: Subscriber, alreadySent: Iterable<number> | undefined, feedback?: RankOptions['feedback']): RankedPaper[] {
  return rankPapers(index, subscriber.interests, { size: subscriber.digestSize, exclude: alreadySent, feedback });
}

/** Papers readers clicked "more/less like this" on: today's candidates, else read once per run from the store. */
export class PaperLookup {
  private readonly papers: Map<number, Paper | undefined>;
  constructor(
    candidates: readonly Paper[],
    private readonly read: (id: number) => Paper | undefined,
  ) {
    this.papers = new Map(candidates.map((paper) => [paper.id, paper]));
  }

  feedback(clicks: readonly Feedback[]): NonNullable<RankOptions['feedback']> {
    const liked: Paper[] = [];
    const disliked: Paper[] = [];
    for (const click of clicks) {
      if (!this.papers.has(click.paperId)) this.papers.set(click.paperId, this.read(click.paperId));
      const paper = this.papers.get(click.paperId);
      if (paper) (click.direction === 'more' ? liked : disliked).push(paper);
    }
    return { liked, disliked };
  }
}

/** Exponential backoff with jitter in [ceiling/2, ceiling], so many failed rows do not retry in lockstep. */
export function backoffMs(attempt: number, baseDelayMs: number): number {
  const ceiling = baseDelayMs * 2 ** Math.min(attempt - 1, 10);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
