import type { Database } from 'better-sqlite3';

export interface LockHolder {
  owner: string;
  acquiredAt: string;
  heartbeatAt: string;
}

/**
 * A named lease in SQLite: one holder at a time, and a holder that stops renewing (a killed process)
 * loses it once `leaseMs` has passed since its last heartbeat.
 */
export function createLockQueries(db: Database) {
  const get = db.prepare<[string], { owner: string; acquired_at: string; heartbeat_at: string }>(
    'SELECT owner, acquired_at, heartbeat_at FROM locks WHERE name = ?',
  );
  const upsert = db.prepare(`
    INSERT INTO locks (name, owner, acquired_at, heartbeat_at) VALUES (@name, @owner, @at, @at)
    ON CONFLICT (name) DO UPDATE SET owner = @owner, acquired_at = @at, heartbeat_at = @at
    WHERE locks.owner = @owner OR locks.heartbeat_at < @staleBefore`);
  const beat = db.prepare('UPDATE locks SET heartbeat_at = ? WHERE name = ? AND owner = ?');
  const release = db.prepare('DELETE FROM locks WHERE name = ? AND owner = ?');
  const takeOver = db.prepare('UPDATE locks SET owner = @owner, acquired_at = @at, heartbeat_at = @at WHERE name = @name AND owner = @previous');

  return {
    /** True when `owner` now holds the lock (it was free, stale, or already its own). */
    acquireLock(name: string, owner: string, now: Date, leaseMs: number): boolean {
      const staleBefore = new Date(now.getTime() - leaseMs).toISOString();
      upsert.run({ name, owner, at: now.toISOString(), staleBefore });
      return get.get(name)?.owner === owner;
    },
    /** False when the lock was lost (taken over after going stale). */
    renewLock(name: string, owner: string, now: Date): boolean {
      return beat.run(now.toISOString(), name, owner).changes === 1;
    },
    /** Takes the lock from `previous`, known to be dead; false when someone else got there first. */
    takeOverLock(name: string, previous: string, owner: string, now: Date): boolean {
      return takeOver.run({ name, previous, owner, at: now.toISOString() }).changes === 1;
    },
    releaseLock(name: string, owner: string): void {
      release.run(name, owner);
    },
    lockHolder(name: string): LockHolder | undefined {
      const row = get.get(name);
      return row ? { owner: row.owner, acquiredAt: row.acquired_at, heartbeatAt: row.heartbeat_at } : undefined;
    },
  };
}

export type LockQueries = ReturnType<typeof createLockQueries>;
