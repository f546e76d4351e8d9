import type { Database } from 'better-sqlite3';
import type { Delivery, DeliveryStatus, Paper, RankedPaper } from '../domain.js';
import { readStringArray } from './json-column.js';
import { paperFromRow } from './papers.js';
import { writeTransaction } from './write-transaction.js';

interface DeliveryRow {
  id: number;
  subscriber_id: number;
  digest_date: string;
  status: DeliveryStatus;
  message_id: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  sent_at: string | null;
  smtp_response: string | null;
}

const deliveryFromRow = (row: DeliveryRow): Delivery => ({
  id: row.id,
  subscriberId: row.subscriber_id,
  digestDate: row.digest_date,
  status: row.status,
  messageId: row.message_id,
  attempts: row.attempts,
  lastError: row.last_error,
  nextAttemptAt: row.next_attempt_at,
  sentAt: row.sent_at,
  smtpResponse: row.smtp_response,
});

/** A digest decided for one subscriber, before anything is sent. */
export interface PlannedDelivery {
  subscriberId: number;
  digestDate: string;
  messageId: string;
  papers: readonly RankedPaper[];
}

/** A row the server accepted, waiting to be committed as `sent` (see `commitSendBatch`). */
export interface AcceptedDelivery {
  id: number;
  response: string;
  at: Date;
}

export interface SendableOptions {
  /** Also hand back rows left `uncertain` by a crash (RESEND_UNCERTAIN=true). */
  includeUncertain: boolean;
}

export function createDeliveryQueries(db: Database) {
  const insert = db.prepare(`
    INSERT INTO deliveries (subscriber_id, digest_date, status, message_id, created_at, updated_at)
    VALUES (?, ?, 'pending', ?, ?, ?)
    ON CONFLICT (subscriber_id, digest_date) DO NOTHING`);
  const insertPaper = db.prepare(`
    INSERT INTO delivery_papers (delivery_id, position, paper_id, score, relevance, trending, reasons_json)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  // One row per subscriber, its paper ids joined: ~40 ids each cross into JavaScript as one string, not 40 rows.
  const sentInRange = db
    .prepare<[number, number, number], [number, string]>(`
      SELECT subscriber_id, group_concat(paper_id) FROM sent_papers
      WHERE subscriber_id BETWEEN ? AND ? AND paper_id >= ?
      GROUP BY subscriber_id`)
    .raw(true);
  const sendable = db.prepare<
    { date: string; now: string; afterId: number; limit: number; uncertain: number },
    DeliveryRow
  >(`
    SELECT * FROM deliveries
    WHERE digest_date = @date AND id > @afterId
      AND (status = 'pending'
        OR (status = 'failed' AND next_attempt_at IS NOT NULL AND next_attempt_at <= @now)
        OR (status = 'uncertain' AND @uncertain = 1))
    ORDER BY id LIMIT @limit`);
  const countSendable = db.prepare<{ date: string; now: string; uncertain: number }, { n: number }>(`
    SELECT count(*) AS n FROM deliveries
    WHERE digest_date = @date
      AND (status = 'pending'
        OR (status = 'failed' AND next_attempt_at IS NOT NULL AND next_attempt_at <= @now)
        OR (status = 'uncertain' AND @uncertain = 1))`);
  const papersInRange = db.prepare<
    [number, number],
    { delivery_id: number; paper_id: number; score: number; relevance: number; trending: number; reasons_json: string }
  >(`
    SELECT delivery_id, paper_id, score, relevance, trending, reasons_json FROM delivery_papers
    WHERE delivery_id BETWEEN ? AND ?
    ORDER BY delivery_id, position`);
  const paperById = db.prepare<[number], Parameters<typeof paperFromRow>[0]>('SELECT * FROM papers WHERE id = ?');
  const claim = db.prepare(`
    UPDATE deliveries SET status = 'sending', attempts = attempts + 1, updated_at = @at
    WHERE id = @id AND status IN ('pending', 'failed', 'uncertain')`);
  const sent = db.prepare(`
    UPDATE deliveries SET status = 'sent', sent_at = @at, smtp_response = @response, last_error = NULL,
      next_attempt_at = NULL, updated_at = @at
    WHERE id = @id`);
  const recordSentPapers = db.prepare(`
    INSERT OR IGNORE INTO sent_papers (subscriber_id, paper_id, delivery_id)
    SELECT d.subscriber_id, dp.paper_id, d.id FROM deliveries d JOIN delivery_papers dp ON dp.delivery_id = d.id
    WHERE d.id = ?`);
  const failed = db.prepare(`
    UPDATE deliveries SET status = @status, last_error = @error, next_attempt_at = @nextAttemptAt, updated_at = @at
    WHERE id = @id`);
  const interrupted = db.prepare(`
    UPDATE deliveries SET status = 'uncertain', updated_at = @at,
      last_error = 'interrupted while sending: the server may or may not have accepted it'
    WHERE status = 'sending'`);
  const countByStatus = db.prepare<[string], { status: DeliveryStatus; n: number }>(
    'SELECT status, count(*) AS n FROM deliveries WHERE digest_date = ? GROUP BY status',
  );
  const expire = db.prepare(`
    UPDATE deliveries SET status = 'failed', next_attempt_at = NULL, updated_at = @at,
      last_error = 'expired: not sent on its day; its papers stay candidates for a later digest'
    WHERE digest_date < @date AND (status = 'pending' OR (status = 'failed' AND next_attempt_at IS NOT NULL))`);
  const sentSince = db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM deliveries WHERE sent_at >= ? AND status = 'sent'");
  const nextRetry = db.prepare<[string], { at: string | null }>(
    "SELECT min(next_attempt_at) AS at FROM deliveries WHERE digest_date = ? AND status = 'failed' AND next_attempt_at IS NOT NULL",
  );
  const byId = db.prepare<[number], DeliveryRow>('SELECT * FROM deliveries WHERE id = ?');
  const ofSubscriber = db.prepare<[number], DeliveryRow>(
    'SELECT * FROM deliveries WHERE subscriber_id = ? ORDER BY digest_date DESC',
  );
  const attention = db.prepare<[number], DeliveryRow>(`
    SELECT * FROM deliveries WHERE status IN ('failed', 'uncertain') ORDER BY updated_at DESC LIMIT ?`);

  const create = writeTransaction(db, (planned: readonly PlannedDelivery[], at: string) => {
    let created = 0;
    for (const delivery of planned) {
      const result = insert.run(delivery.subscriberId, delivery.digestDate, delivery.messageId, at, at);
      if (result.changes === 0) continue;
      const deliveryId = Number(result.lastInsertRowid);
      delivery.papers.forEach((ranked, position) => {
        insertPaper.run(deliveryId, position, ranked.paper.id, ranked.score, ranked.relevance, ranked.trending, JSON.stringify(ranked.reasons));
      });
      created++;
    }
    return created;
  });
  const release = db.prepare(`
    UPDATE deliveries SET status = 'pending', attempts = attempts - 1, updated_at = @at
    WHERE id = @id AND status = 'sending'`);
  const commitBatch = writeTransaction(db, (accepted: readonly AcceptedDelivery[], claimIds: readonly number[], at: string) => {
    for (const row of accepted) {
      sent.run({ id: row.id, response: row.response, at: row.at.toISOString() });
      recordSentPapers.run(row.id);
    }
    const claimed = new Set<number>();
    for (const id of claimIds) if (claim.run({ id, at }).changes === 1) claimed.add(id);
    return claimed;
  });
  const releaseAll = writeTransaction(db, (ids: readonly number[], at: string) => {
    for (const id of ids) release.run({ id, at });
  });

  return {
    /** Writes planned digests as `pending` rows in one transaction; a row that exists for that date is left alone. */
    createDeliveries(planned: readonly PlannedDelivery[], at: Date): number {
      return create(planned, at.toISOString());
    },
    /**
     * Paper ids already sent to subscribers `fromId..toId`, one range read for a whole page of subscribers.
     * `minPaperId` skips history older than every candidate.
     */
    sentPaperIds(fromId: number, toId: number, minPaperId: number): Map<number, Float64Array> {
      const sentBySubscriber = new Map<number, Float64Array>();
      for (const [subscriberId, paperIds] of sentInRange.all(fromId, toId, minPaperId)) sentBySubscriber.set(subscriberId, parseIdList(paperIds));
      return sentBySubscriber;
    },
    /** Rows to (re)send for a date, in id order: pending, failed and due for retry, and optionally uncertain. */
    sendableDeliveries(digestDate: string, now: Date, afterId: number, limit: number, options: SendableOptions): Delivery[] {
      return sendable
        .all({ date: digestDate, now: now.toISOString(), afterId, limit, uncertain: options.includeUncertain ? 1 : 0 })
        .map(deliveryFromRow);
    },
    /** How many rows `sendableDeliveries` will page through (for progress). */
    countSendableDeliveries(digestDate: string, now: Date, options: SendableOptions): number {
      return countSendable.get({ date: digestDate, now: now.toISOString(), uncertain: options.includeUncertain ? 1 : 0 })?.n ?? 0;
    },
    /**
     * The ranked papers each delivery carries, for deliveries `fromId..toId`. Papers come from `known`
     * (the run's candidates, already in memory) or are read once per call.
     */
    deliveryPapers(fromId: number, toId: number, known: ReadonlyMap<number, Paper> = new Map()): Map<number, RankedPaper[]> {
      const read = new Map<number, Paper | undefined>();
      const byDelivery = new Map<number, RankedPaper[]>();
      for (const row of papersInRange.all(fromId, toId)) {
        let paper = known.get(row.paper_id);
        if (!paper) {
          if (!read.has(row.paper_id)) {
            const paperRow = paperById.get(row.paper_id);
            read.set(row.paper_id, paperRow && paperFromRow(paperRow));
          }
          paper = read.get(row.paper_id);
          // A paper deleted since the digest was planned (a foreign key keeps this from happening).
          if (!paper) continue;
        }
        let list = byDelivery.get(row.delivery_id);
        if (!list) byDelivery.set(row.delivery_id, (list = []));
        list.push({ paper, score: row.score, relevance: row.relevance, trending: row.trending, reasons: readStringArray(row.reasons_json) });
      }
      return byDelivery;
    },
    /**
     * One write transaction for a batch of the send phase. Rows the server accepted become `sent`
     * (from then on their papers count as sent to the subscriber); then `claimIds` are taken for
     * sending, which must be committed before any of their SMTP steps. Returns the ids claimed: a row
     * another run holds, or one already done, is left out.
     */
    commitSendBatch(accepted: readonly AcceptedDelivery[], claimIds: readonly number[], at: Date): Set<number> {
      return commitBatch(accepted, claimIds, at.toISOString());
    },
    /** Claimed rows that were never handed to the mailer (the run stopped first) go back to `pending`. */
    releaseDeliveries(ids: readonly number[], at: Date): void {
      if (ids.length > 0) releaseAll(ids, at.toISOString());
    },
    /** `nextAttemptAt` null: not retryable. */
    markDeliveryFailed(id: number, error: string, nextAttemptAt: Date | null, at: Date): void {
      failed.run({ id, status: 'failed', error, nextAttemptAt: nextAttemptAt?.toISOString() ?? null, at: at.toISOString() });
    },
    markDeliveryUncertain(id: number, error: string, at: Date): void {
      failed.run({ id, status: 'uncertain', error, nextAttemptAt: null, at: at.toISOString() });
    },
    /**
     * Unsent rows of earlier digest dates will never go out (no one wants yesterday's digest tomorrow);
     * they become `failed`, and since their papers were never sent, those papers stay candidates.
     */
    expireStaleDeliveries(beforeDate: string, at: Date): number {
      return expire.run({ date: beforeDate, at: at.toISOString() }).changes;
    },
    /** Messages accepted since `since`, for the rolling per-day send limit. */
    countSentSince(since: Date): number {
      return sentSince.get(since.toISOString())?.n ?? 0;
    },
    /** When the earliest retryable row of a date is due, if any. */
    nextRetryAt(digestDate: string): Date | null {
      const at = nextRetry.get(digestDate)?.at;
      return at ? new Date(at) : null;
    },
    /** Rows a crashed run left `sending` become `uncertain`: the server may have accepted them. */
    recoverInterruptedDeliveries(at: Date): number {
      return interrupted.run({ at: at.toISOString() }).changes;
    },
    deliveryCounts(digestDate: string): Partial<Record<DeliveryStatus, number>> {
      return Object.fromEntries(countByStatus.all(digestDate).map((row) => [row.status, row.n]));
    },
    getDelivery(id: number): Delivery | undefined {
      const row = byId.get(id);
      return row ? deliveryFromRow(row) : undefined;
    },
    deliveriesOfSubscriber(subscriberId: number): Delivery[] {
      return ofSubscriber.all(subscriberId).map(deliveryFromRow);
    },
    /** Failed and uncertain rows, newest first, for `papermail status`. */
    deliveriesNeedingAttention(limit: number): Delivery[] {
      return attention.all(limit).map(deliveryFromRow);
    },
  };
}

export type DeliveryQueries = ReturnType<typeof createDeliveryQueries>;

/** `"12,345,6789"` (SQLite's group_concat of integer ids) as numbers, without an array of strings in between. */
function parseIdList(list: string): Float64Array {
  let count = 1;
  for (let i = 0; i < list.length; i++) if (list.charCodeAt(i) === 0x2c) count++;
  const ids = new Float64Array(count);
  let n = 0;
  let value = 0;
  for (let i = 0; i < list.length; i++) {
    const code = list.charCodeAt(i);
    if (code === 0x2c) {
      ids[n++] = value;
      value = 0;
    } else {
      value = value * 10 + (code - 0x30);
    }
  }
  ids[n] = value;
  return ids;
}
