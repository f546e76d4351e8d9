import type { Database } from 'better-sqlite3';

/**
 * A transaction that takes the write lock up front (BEGIN IMMEDIATE). A deferred transaction that reads
 * and then writes can fail at once with SQLITE_BUSY when another process (a web server, a second run)
 * wrote in between; an immediate one waits its turn under the busy timeout instead.
 * Nested inside another transaction it becomes a savepoint.
 */
export function writeTransaction<A extends unknown[], R>(db: Database, fn: (...args: A) => R): (...args: A) => R {
  const transaction = db.transaction(fn);
  return (...args: A) => transaction.immediate(...args);
}
