import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStore } from '../../test/support/temp-store.js';
import { openStore } from './open-store.js';

describe('run lock', () => {
  let store: ReturnType<typeof tempStore>;
  const t0 = new Date('2026-12-03T07:00:00Z');
  const lease = 60_000;
  beforeEach(() => (store = tempStore()));
  afterEach(() => store.cleanup());

  it('is held by one owner at a time, across connections', () => {
    const other = openStore(store.path);
    expect(store.acquireLock('run', 'a', t0, lease)).toBe(true);
    expect(other.acquireLock('run', 'b', t0, lease)).toBe(false);
    store.releaseLock('run', 'a');
    expect(other.acquireLock('run', 'b', t0, lease)).toBe(true);
    other.close();
  });

  it('is taken over once its holder stops renewing for a whole lease', () => {
    expect(store.acquireLock('run', 'dead', t0, lease)).toBe(true);
    expect(store.acquireLock('run', 'b', new Date(t0.getTime() + lease - 1), lease)).toBe(false);
    expect(store.acquireLock('run', 'b', new Date(t0.getTime() + lease + 1), lease)).toBe(true);
    expect(store.renewLock('run', 'dead', new Date(t0.getTime() + lease + 2))).toBe(false);
  });

  it('can be taken over from a holder known to be dead, but only from that holder', () => {
    store.acquireLock('run', 'dead', t0, lease);
    expect(store.takeOverLock('run', 'someone-else', 'b', t0)).toBe(false);
    expect(store.takeOverLock('run', 'dead', 'b', t0)).toBe(true);
    expect(store.lockHolder('run')?.owner).toBe('b');
  });

  it('stays with a holder that keeps renewing', () => {
    store.acquireLock('run', 'a', t0, lease);
    expect(store.renewLock('run', 'a', new Date(t0.getTime() + lease - 1000))).toBe(true);
    expect(store.acquireLock('run', 'b', new Date(t0.getTime() + lease + 1), lease)).toBe(false);
  });
});
