import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { createDeliveryQueries, type DeliveryQueries } from './deliveries.js';
import { StoreError } from './errors.js';
import { createFeedQueries, type FeedQueries } from './feeds.js';
import { createFeedbackQueries, type FeedbackQueries } from './feedback.js';
import { createLockQueries, type LockQueries } from './locks.js';
import { MIGRATIONS } from './migrations/index.js';
import { createPaperQueries, type PaperQueries } from './papers.js';
import { createRunQueries, type RunQueries } from './runs.js';
import { createSettingQueries, type SettingQueries } from './settings.js';
import { createSubscriberQueries, type SubscriberQueries } from './subscribers.js';
import { writeTransaction } from './write-transaction.js';

export type Store = PaperQueries &
  FeedQueries &
  SubscriberQueries &
  DeliveryQueries &
  FeedbackQueries &
  RunQueries &
  LockQueries &
  SettingQueries & {
    readonly path: string;
    /** Runs `fn` in one write transaction (BEGIN IMMEDIATE; nested calls become savepoints). */
    transaction<T>(fn: () => T): T;
    /** Cheap liveness check for /healthz. */
    ping(): boolean;
    close(): void;
  };

const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating if needed) the SQLite file, switches on WAL, applies pending migrations and
 * prepares every statement. Fails with a StoreError that says what to do.
 */
export function openStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    throw describeOpenError(path, error);
  }
  try {
    migrate(db);
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    throw describeOpenError(path, error);
  }
  return {
    path,
    ...createPaperQueries(db),
    ...createFeedQueries(db),
    ...createSubscriberQueries(db),
    ...createDeliveryQueries(db),
    ...createFeedbackQueries(db),
    ...createRunQueries(db),
    ...createLockQueries(db),
    ...createSettingQueries(db),
    transaction: <T>(fn: () => T): T => writeTransaction(db, fn)(),
    ping: () => db.prepare('SELECT 1 AS ok').get() !== undefined,
    close: () => {
      if (db.open) db.close();
    },
  };
}

/** Applies pending migrations under the write lock, so two processes starting at once migrate once. */
function migrate(db: Database.Database): void {
  writeTransaction(db, () => migrateLocked(db))();
}

function migrateLocked(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new StoreError(
      'migrate',
      `database schema version ${current} is newer than this papermail knows (${latest}): upgrade papermail or use another DATABASE_PATH`,
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    try {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    } catch (error) {
      throw new StoreError('migrate', `migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
    }
  }
}

function describeOpenError(path: string, error: unknown): StoreError {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new StoreError('corrupt', `${path} is not a papermail database or is damaged: restore a backup or point DATABASE_PATH elsewhere`, { cause: error });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new StoreError('locked', `${path} is locked by another process: wait for it to finish, then try again`, { cause: error });
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY') {
    return new StoreError('open', `cannot open ${path} for writing: check the path and its permissions (DATABASE_PATH)`, { cause: error });
  }
  return new StoreError('open', `cannot open database ${path}: ${(error as Error).message}`, { cause: error });
}
