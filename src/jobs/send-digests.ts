import { DAY_MS } from '../dates.js';
import type { Delivery, Digest, Mailer, RankedPaper, Subscriber } from '../domain.js';
import { describeError } from '../errors.js';
import type { Links } from '../links.js';
import type { Logger } from '../log.js';
import { MailError } from '../mail/errors.js';
import { composeDigestMessage } from '../mail/compose-digest-message.js';
import { buildRankIndex, rankPapers, type RankIndex } from '../rank/rank-papers.js';
import type { DigestRenderer } from '../render/render-digest.js';
import type { PlannedDelivery } from '../store/deliveries.js';
import type { Store } from '../store/open-store.js';
import { mapConcurrent } from './map-concurrent.js';

export interface SendDigestsDeps {
  store: Pick<
    Store,
    | 'papersSeenSince'
    | 'dueSubscribers'
    | 'sentPaperIds'
    | 'createDeliveries'
    | 'sendableDeliveries'
    | 'deliveryPapers'
    | 'getSubscriber'
    | 'claimDelivery'
    | 'markDeliverySent'
    | 'markDeliveryFailed'
    | 'markDeliveryUncertain'
    | 'recoverInterruptedDeliveries'
    | 'setSubscriberStatus'
  >;
  mailer: Mailer;
  renderer: DigestRenderer;
  links: Links;
  /** Stable per (subscriber, digest date): a retry carries the same Message-ID. */
  messageIdFor: (subscriberId: number, digestDate: string) => string;
  listId: string;
  log: Logger;
  now: () => Date;
}

export interface SendDigestsOptions {
  digestDate: string;
  maxAgeDays: number;
  /** Rank and render, but send nothing and write nothing to the ledger. */
  dryRun: boolean;
  /** Messages in flight at once (match the SMTP pool's connections). */
  concurrency: number;
  /** Subscribers (and deliveries) read per page: memory stays flat however many there are. */
  pageSize?: number;
  /** Resend rows a crash left `uncertain` (same Message-ID). */
  resendUncertain?: boolean;
  retry?: { maxAttempts: number; baseDelayMs: number };
  /** Consecutive transient failures after which the run stops instead of hammering a dead server. */
  maxConsecutiveFailures?: number;
}

export interface SendSummary {
  digestDate: string;
  dryRun: boolean;
  candidatePapers: number;
  /** Due subscribers ranked this run. */
  subscribersRanked: number;
  /** Digests decided this run (ledger rows written, or would be in a dry run). */
  planned: number;
  /** Due subscribers with nothing new that matches: no email today. */
  noMatch: number;
  sent: number;
  failed: number;
  bounced: number;
  uncertain: number;
  /** Rows a previous, interrupted run left `sending`, now `uncertain`. */
  recovered: number;
  /** Set when the run stopped early (e.g. the SMTP server kept failing). */
  stoppedEarly: string | null;
}

const DEFAULT_PAGE_SIZE = 1000;

/**
 * The day's digests: decide each due subscriber's papers (ranked, never one already sent), write the
 * decisions to the ledger, then send every sendable row, committing each state before the next SMTP step.
 */
export async function sendDigests(deps: SendDigestsDeps, options: SendDigestsOptions): Promise<SendSummary> {
  const { store, now } = deps;
  const log = deps.log.child({ stage: 'send', digestDate: options.digestDate });
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const summary: SendSummary = {
    digestDate: options.digestDate,
    dryRun: options.dryRun,
    candidatePapers: 0,
    subscribersRanked: 0,
    planned: 0,
    noMatch: 0,
    sent: 0,
    failed: 0,
    bounced: 0,
    uncertain: 0,
    recovered: options.dryRun ? 0 : store.recoverInterruptedDeliveries(now()),
    stoppedEarly: null,
  };
  if (summary.recovered > 0) log.warn({ recovered: summary.recovered }, 'deliveries interrupted by an earlier crash are now uncertain');

  const candidates = store.papersSeenSince(new Date(now().getTime() - options.maxAgeDays * DAY_MS));
  summary.candidatePapers = candidates.length;
  const index = buildRankIndex(candidates);
  const minPaperId = candidates.reduce((min, paper) => Math.min(min, paper.id), Number.MAX_SAFE_INTEGER);

  for (let afterId = 0; ; ) {
    const subscribers = store.dueSubscribers(options.digestDate, afterId, pageSize);
    if (subscribers.length === 0) break;
    afterId = subscribers.at(-1)!.id;
    const planned = planPage(subscribers);
    if (options.dryRun) {
      for (const delivery of planned) renderDigest(store.getSubscriber(delivery.subscriberId)!, delivery.papers);
    } else {
      store.createDeliveries(planned, now());
    }
  }
  log.info({ candidatePapers: summary.candidatePapers, planned: summary.planned, noMatch: summary.noMatch }, 'digests planned');

  if (!options.dryRun) await sendPlanned();
  log.info({ ...summary }, 'digests sent');
  return summary;

  function planPage(subscribers: readonly Subscriber[]): PlannedDelivery[] {
    const sent = candidates.length === 0 ? new Map<number, Set<number>>() : store.sentPaperIds(subscribers[0]!.id, subscribers.at(-1)!.id, minPaperId);
    const planned: PlannedDelivery[] = [];
    for (const subscriber of subscribers) {
      summary.subscribersRanked++;
      const papers = candidates.length === 0 ? [] : rankFor(index, subscriber, sent.get(subscriber.id));
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
    return deps.renderer.render(digest, {
      manageUrl: deps.links.manageUrl(subscriber.id),
      unsubscribeUrl: deps.links.unsubscribeUrl(subscriber.id),
    });
  }

  async function sendPlanned(): Promise<void> {
    let consecutiveFailures = 0;
    const maxConsecutive = options.maxConsecutiveFailures ?? 10;
    for (let afterId = 0; summary.stoppedEarly === null; ) {
      const deliveries = store.sendableDeliveries(options.digestDate, now(), afterId, pageSize, { includeUncertain: options.resendUncertain ?? false });
      if (deliveries.length === 0) break;
      afterId = deliveries.at(-1)!.id;
      const papers = store.deliveryPapers(deliveries[0]!.id, afterId);
      await mapConcurrent(deliveries, options.concurrency, async (delivery) => {
        if (summary.stoppedEarly !== null) return;
        const outcome = await sendOne(delivery, papers.get(delivery.id) ?? []);
        consecutiveFailures = outcome === 'transient' ? consecutiveFailures + 1 : 0;
        if (consecutiveFailures >= maxConsecutive && summary.stoppedEarly === null) {
          summary.stoppedEarly = `${consecutiveFailures} sends in a row failed (${deps.mailer.describe()}): is the SMTP server up? The next run picks up where this one stopped.`;
          log.error({ consecutiveFailures }, 'stopping: the mail server keeps failing');
        }
      });
    }
  }

  async function sendOne(delivery: Delivery, papers: RankedPaper[]): Promise<'sent' | 'transient' | 'other'> {
    const subscriber = store.getSubscriber(delivery.subscriberId);
    if (!subscriber || subscriber.status !== 'active') {
      store.markDeliveryFailed(delivery.id, `not sent: subscriber is ${subscriber?.status ?? 'removed'}`, null, now());
      return 'other';
    }
    const itemLog = log.child({ subscriberId: subscriber.id, deliveryId: delivery.id });
    const rendered = renderDigest(subscriber, papers);
    const message = composeDigestMessage({
      to: subscriber.email,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      messageId: delivery.messageId,
      date: now(),
      listId: deps.listId,
      unsubscribeUrl: deps.links.unsubscribeUrl(subscriber.id),
      manageUrl: deps.links.manageUrl(subscriber.id),
    });
    if (!store.claimDelivery(delivery.id, now())) return 'other';
    try {
      const accepted = await deps.mailer.send(message);
      store.markDeliverySent(delivery.id, accepted.response, now());
      summary.sent++;
      return 'sent';
    } catch (thrown) {
      const error = thrown instanceof MailError ? thrown : null;
      const reason = describeError(thrown);
      if (error?.kind === 'uncertain') {
        store.markDeliveryUncertain(delivery.id, reason, now());
        summary.uncertain++;
        itemLog.warn({ error: reason }, 'delivery uncertain: the connection broke during DATA');
        return 'other';
      }
      if (error?.kind === 'permanent') {
        store.markDeliveryFailed(delivery.id, reason, null, now());
        summary.failed++;
        if (error.command === 'RCPT TO') {
          store.setSubscriberStatus(subscriber.id, 'bounced', now());
          summary.bounced++;
        }
        itemLog.warn({ error: reason }, 'delivery failed permanently');
        return 'other';
      }
      const attempts = delivery.attempts + 1;
      const retry = options.retry ?? { maxAttempts: 5, baseDelayMs: 60_000 };
      const nextAttemptAt = attempts < retry.maxAttempts ? new Date(now().getTime() + backoffMs(attempts, retry.baseDelayMs)) : null;
      store.markDeliveryFailed(delivery.id, reason, nextAttemptAt, now());
      summary.failed++;
      itemLog.warn({ error: reason, attempts, nextAttemptAt }, 'delivery failed; will retry');
      return 'transient';
    }
  }
}

/** Ranks a subscriber's unsent candidates; shared by the run and by previews. */
export function rankFor(index: RankIndex, subscriber: Subscriber, alreadySent: ReadonlySet<number> | undefined): RankedPaper[] {
  return rankPapers(index, subscriber.interests, { size: subscriber.digestSize, exclude: alreadySent });
}

/** Exponential backoff with full jitter (so many failed rows do not retry in lockstep). */
export function backoffMs(attempt: number, baseDelayMs: number): number {
  const ceiling = baseDelayMs * 2 ** Math.min(attempt - 1, 10);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
