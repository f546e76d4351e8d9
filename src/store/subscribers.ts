import type { Database } from 'better-sqlite3';
import type { Interests, Subscriber, SubscriberStatus } from '../domain.js';
import { StoreError } from './errors.js';
import { readStringArray } from './json-column.js';
import { writeTransaction } from './write-transaction.js';

interface SubscriberRow {
  id: number;
  email: string;
  status: SubscriberStatus;
  topics_json: string;
  keywords_json: string;
  excluded_json: string;
  digest_size: number;
  created_at: string;
  confirmed_at: string | null;
}

export function subscriberFromRow(row: SubscriberRow): Subscriber {
  return {
    id: row.id,
    email: row.email,
    status: row.status,
    interests: {
      topics: readStringArray(row.topics_json),
      keywords: readStringArray(row.keywords_json),
      excluded: readStringArray(row.excluded_json),
    },
    digestSize: row.digest_size,
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
  };
}

export interface NewSubscriber {
  email: string;
  status: SubscriberStatus;
  interests: Interests;
  digestSize: number;
}

/** Addresses are unique case-insensitively: `Ada@Example.org` and `ada@example.org` are one subscriber. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export function createSubscriberQueries(db: Database) {
  const insert = db.prepare(`
    INSERT INTO subscribers (email, email_normalized, status, topics_json, keywords_json, excluded_json, digest_size,
      created_at, confirmed_at, status_changed_at, updated_at)
    VALUES (@email, @normalized, @status, @topics, @keywords, @excluded, @digestSize, @at, @confirmedAt, @at, @at)`);
  const byId = db.prepare<[number], SubscriberRow>('SELECT * FROM subscribers WHERE id = ?');
  const byEmail = db.prepare<[string], SubscriberRow>('SELECT * FROM subscribers WHERE email_normalized = ?');
  const all = db.prepare<[], SubscriberRow>('SELECT * FROM subscribers ORDER BY id');
  const remove = db.prepare('DELETE FROM subscribers WHERE email_normalized = ?');
  const setStatus = db.prepare(`
    UPDATE subscribers SET status = @status, status_changed_at = @at, updated_at = @at,
      confirmed_at = CASE WHEN @status = 'active' THEN coalesce(confirmed_at, @at) ELSE confirmed_at END
    WHERE id = @id`);
  const setInterests = db.prepare(`
    UPDATE subscribers SET topics_json = @topics, keywords_json = @keywords, excluded_json = @excluded,
      digest_size = @digestSize, updated_at = @at
    WHERE id = @id`);
  const suppress = db.prepare(`
    INSERT INTO suppressions (email_normalized, reason, created_at)
    SELECT email_normalized, @reason, @at FROM subscribers WHERE id = @id
    ON CONFLICT (email_normalized) DO UPDATE SET reason = excluded.reason, created_at = excluded.created_at`);
  const unsuppress = db.prepare('DELETE FROM suppressions WHERE email_normalized = (SELECT email_normalized FROM subscribers WHERE id = ?)');
  const suppression = db.prepare<[string], { reason: string; created_at: string }>('SELECT reason, created_at FROM suppressions WHERE email_normalized = ?');
  const changeStatus = writeTransaction(db, (id: number, status: SubscriberStatus, reason: string | null, at: string) => {
    setStatus.run({ id, status, at });
    // A bounce suppresses the address; only confirming it again (status active) lifts that.
    if (status === 'bounced') suppress.run({ id, reason: reason ?? 'bounced', at });
    if (status === 'active') unsuppress.run(id);
  });
  const ofDeliveries = db.prepare<[number, number], SubscriberRow>(
    'SELECT * FROM subscribers WHERE id IN (SELECT subscriber_id FROM deliveries WHERE id BETWEEN ? AND ?)',
  );
  const countByStatus = db.prepare<[], { status: SubscriberStatus; n: number }>(
    'SELECT status, count(*) AS n FROM subscribers GROUP BY status',
  );
  const countDue = db.prepare<[string], { n: number }>(`
    SELECT count(*) AS n FROM subscribers s
    WHERE s.status = 'active' AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.subscriber_id = s.id AND d.digest_date = ?)`);
  const due = db.prepare<[number, string, number], SubscriberRow>(`
    SELECT s.* FROM subscribers s
    WHERE s.status = 'active' AND s.id > ?
      AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.subscriber_id = s.id AND d.digest_date = ?)
    ORDER BY s.id LIMIT ?`);

  const params = (subscriber: NewSubscriber, at: string) => ({
    email: subscriber.email.trim(),
    normalized: normalizeEmail(subscriber.email),
    status: subscriber.status,
    topics: JSON.stringify(subscriber.interests.topics),
    keywords: JSON.stringify(subscriber.interests.keywords),
    excluded: JSON.stringify(subscriber.interests.excluded),
    digestSize: subscriber.digestSize,
    confirmedAt: subscriber.status === 'active' ? at : null,
    at,
  });

  const insertOne = (subscriber: NewSubscriber, at: string): number => {
    try {
      return Number(insert.run(params(subscriber, at)).lastInsertRowid);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new StoreError('duplicate', `${subscriber.email.trim()} is already subscribed`, { cause: error });
      }
      throw error;
    }
  };
  const insertMany = writeTransaction(db, (subscribers: readonly NewSubscriber[], at: string) => {
    for (const subscriber of subscribers) insertOne(subscriber, at);
    return subscribers.length;
  });

  return {
    /** Throws StoreError('duplicate') when the address is already there. */
    addSubscriber(subscriber: NewSubscriber, at: Date): Subscriber {
      const id = insertOne(subscriber, at.toISOString());
      return subscriberFromRow(byId.get(id)!);
    },
    /** All or nothing: one transaction, so a bad row leaves the store as it was. */
    addSubscribers(subscribers: readonly NewSubscriber[], at: Date): number {
      return insertMany(subscribers, at.toISOString());
    },
    getSubscriber(id: number): Subscriber | undefined {
      const row = byId.get(id);
      return row ? subscriberFromRow(row) : undefined;
    },
    findSubscriberByEmail(email: string): Subscriber | undefined {
      const row = byEmail.get(normalizeEmail(email));
      return row ? subscriberFromRow(row) : undefined;
    },
    /** Every subscriber, streamed: never all in memory at once. */
    *iterateSubscribers(): IterableIterator<Subscriber> {
      for (const row of all.iterate()) yield subscriberFromRow(row);
    },
    /** Deletes the subscriber and its delivery history. */
    removeSubscriber(email: string): boolean {
      return remove.run(normalizeEmail(email)).changes > 0;
    },
    /** Moving to `bounced` adds the address to the suppression list (with `reason`); moving to `active` lifts it. */
    setSubscriberStatus(id: number, status: SubscriberStatus, at: Date, reason?: string): void {
      changeStatus(id, status, reason ?? null, at.toISOString());
    },
    /** Why and since when an address must not be mailed, if it must not. */
    suppressionOf(email: string): { reason: string; since: string } | undefined {
      const row = suppression.get(normalizeEmail(email));
      return row ? { reason: row.reason, since: row.created_at } : undefined;
    },
    updateSubscriberInterests(id: number, interests: Interests, digestSize: number, at: Date): void {
      setInterests.run({
        id,
        topics: JSON.stringify(interests.topics),
        keywords: JSON.stringify(interests.keywords),
        excluded: JSON.stringify(interests.excluded),
        digestSize,
        at: at.toISOString(),
      });
    },
    /** The subscribers of deliveries `fromId..toId`, in one read. */
    subscribersOfDeliveries(fromId: number, toId: number): Map<number, Subscriber> {
      return new Map(ofDeliveries.all(fromId, toId).map((row) => [row.id, subscriberFromRow(row)]));
    },
    countSubscribersByStatus(): Partial<Record<SubscriberStatus, number>> {
      return Object.fromEntries(countByStatus.all().map((row) => [row.status, row.n]));
    },
    /** Active subscribers with no ledger row for `digestDate`, in id order, one page at a time. */
    dueSubscribers(digestDate: string, afterId: number, limit: number): Subscriber[] {
      return due.all(afterId, digestDate, limit).map(subscriberFromRow);
    },
    /** How many subscribers `dueSubscribers` will page through (for progress). */
    countDueSubscribers(digestDate: string): number {
      return countDue.get(digestDate)?.n ?? 0;
    },
  };
}

export type SubscriberQueries = ReturnType<typeof createSubscriberQueries>;
