import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newSubscriber, paperEntry } from '../../test/support/fixtures.js';
import { tempStore } from '../../test/support/temp-store.js';
import { createLedgerBatch } from './ledger-batch.js';

describe('createLedgerBatch', () => {
  let store: ReturnType<typeof tempStore>;
  const at = new Date('2026-12-03T07:00:00Z');
  let ids: number[];
  beforeEach(() => {
    store = tempStore();
    store.upsertPapers([paperEntry()], null, at);
    const [paper] = store.papersSeenSince(new Date(0));
    const planned = ['ada', 'bob', 'cy'].map((name, i) => ({
      subscriberId: store.addSubscriber(newSubscriber(`${name}@example.org`), at).id,
      digestDate: '2026-12-03',
      messageId: `<m${i}@example.org>`,
      papers: [{ paper: paper!, score: 1, relevance: 1, trending: 0, reasons: [] }],
    }));
    store.createDeliveries(planned, at);
    ids = store.sendableDeliveries('2026-12-03', at, 0, 10, { includeUncertain: false }).map((delivery) => delivery.id);
  });
  afterEach(() => {
    vi.useRealTimers();
    store.cleanup();
  });

  const statuses = () => ids.map((id) => store.getDelivery(id)!.status);

  it('commits accepted rows together with the next claim, and claims only what is still sendable', () => {
    const ledger = createLedgerBatch(store, () => at);
    expect(ledger.claim([ids[0]!, ids[1]!])).toEqual(new Set([ids[0], ids[1]]));
    ledger.accepted(ids[0]!, '250 OK');
    expect(statuses()).toEqual(['sending', 'sending', 'pending']);
    expect(ledger.claim([ids[1]!, ids[2]!])).toEqual(new Set([ids[2]]));
    expect(statuses()).toEqual(['sent', 'sending', 'sending']);
    expect(store.getDelivery(ids[0]!)!.smtpResponse).toBe('250 OK');
  });

  it('commits accepted rows on its own after flushAfterMs, or at once when maxBuffered are waiting', () => {
    vi.useFakeTimers();
    const ledger = createLedgerBatch(store, () => at, { flushAfterMs: 20, maxBuffered: 2 });
    ledger.claim(ids);
    ledger.accepted(ids[0]!, '250 OK');
    vi.advanceTimersByTime(19);
    expect(statuses()).toEqual(['sending', 'sending', 'sending']);
    vi.advanceTimersByTime(1);
    expect(statuses()).toEqual(['sent', 'sending', 'sending']);
    ledger.accepted(ids[1]!, '250 OK');
    ledger.accepted(ids[2]!, '250 OK');
    expect(statuses()).toEqual(['sent', 'sent', 'sent']);
  });

  it('keeps accepted rows when a commit fails, and commits them with the next one', () => {
    let failing = true;
    const flaky = {
      commitSendBatch: (...args: Parameters<typeof store.commitSendBatch>) => {
        if (failing) throw new Error('SQLITE_BUSY: database is locked');
        return store.commitSendBatch(...args);
      },
    };
    store.commitSendBatch([], ids, at);
    const ledger = createLedgerBatch(flaky, () => at);
    ledger.accepted(ids[0]!, '250 OK');
    expect(() => ledger.claim([])).toThrow(/SQLITE_BUSY/);
    failing = false;
    ledger.flush();
    expect(statuses()).toEqual(['sent', 'sending', 'sending']);
  });
});
