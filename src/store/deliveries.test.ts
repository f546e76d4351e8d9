import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RankedPaper } from '../domain.js';
import { newSubscriber, paperEntry } from '../../test/support/fixtures.js';
import { tempStore } from '../../test/support/temp-store.js';

describe('delivery ledger', () => {
  let store: ReturnType<typeof tempStore>;
  const at = new Date('2026-12-03T07:00:00Z');
  beforeEach(() => (store = tempStore()));
  afterEach(() => store.cleanup());

  function setup() {
    store.upsertPapers([paperEntry({ arxivId: '2401.00001', key: 'arxiv:2401.00001' }), paperEntry({ arxivId: '2401.00002', key: 'arxiv:2401.00002' })], null, at);
    const papers = store.papersSeenSince(new Date(0));
    const ranked: RankedPaper[] = papers.map((paper, index) => ({ paper, score: 2 - index, relevance: 1, trending: 0.5, reasons: ['Efficient architectures'] }));
    const ada = store.addSubscriber(newSubscriber('ada@example.org', { topics: ['efficient-architectures'] }), at);
    const bob = store.addSubscriber(newSubscriber('bob@example.org', { keywords: ['mamba'] }), at);
    return { papers, ranked, ada, bob };
  }

  /** Ada's and Bob's digests for 2026-12-03, planned and read back as sendable rows. */
  function twoSendableRows() {
    const { ranked, ada, bob } = setup();
    store.createDeliveries(
      [
        { subscriberId: ada.id, digestDate: '2026-12-03', messageId: '<m1@x>', papers: ranked },
        { subscriberId: bob.id, digestDate: '2026-12-03', messageId: '<m2@x>', papers: ranked },
      ],
      at,
    );
    return store.sendableDeliveries('2026-12-03', at, 0, 10, { includeUncertain: false });
  }

  it('writes one row per subscriber and date, and ignores a second plan for the same day', () => {
    const { ranked, ada } = setup();
    const plan = [{ subscriberId: ada.id, digestDate: '2026-12-03', messageId: '<m1@x>', papers: ranked }];
    expect(store.createDeliveries(plan, at)).toBe(1);
    expect(store.createDeliveries(plan, at)).toBe(0);
    expect(store.deliveryCounts('2026-12-03')).toEqual({ pending: 1 });
  });

  it('no longer lists a subscriber as due once a row exists for that date', () => {
    const { ranked, ada, bob } = setup();
    store.createDeliveries([{ subscriberId: ada.id, digestDate: '2026-12-03', messageId: '<m1@x>', papers: ranked }], at);
    expect(store.dueSubscribers('2026-12-03', 0, 10).map((s) => s.id)).toEqual([bob.id]);
    expect(store.dueSubscribers('2026-12-04', 0, 10).map((s) => s.id)).toEqual([ada.id, bob.id]);
  });

  it('counts papers as sent only once the delivery is marked sent', () => {
    const { ranked, papers, ada } = setup();
    store.createDeliveries([{ subscriberId: ada.id, digestDate: '2026-12-03', messageId: '<m1@x>', papers: ranked }], at);
    const [delivery] = store.sendableDeliveries('2026-12-03', at, 0, 10, { includeUncertain: false });
    expect(store.commitSendBatch([], [delivery!.id], at)).toEqual(new Set([delivery!.id]));
    expect(store.sentPaperIds(ada.id, ada.id, 0).size).toBe(0);
    store.commitSendBatch([{ id: delivery!.id, response: '250 OK', at }], [], at);
    expect([...store.sentPaperIds(ada.id, ada.id, 0).get(ada.id)!].sort()).toEqual(papers.map((p) => p.id).sort());
    expect(store.getDelivery(delivery!.id)).toMatchObject({ status: 'sent', smtpResponse: '250 OK', sentAt: at.toISOString(), attempts: 1 });
  });

  it('commits a batch whole: earlier rows marked sent and new rows claimed in one transaction', () => {
    const [first, second] = twoSendableRows();
    store.commitSendBatch([], [first!.id], at);
    // The second sent mark fails halfway through the batch: neither the first mark nor the claim may stick.
    const broken = [{ id: first!.id, response: '250 OK', at }, { id: second!.id, response: '250 OK', at: new Date(Number.NaN) }];
    expect(() => store.commitSendBatch(broken, [second!.id], at)).toThrow(RangeError);
    expect(store.deliveryCounts('2026-12-03')).toEqual({ sending: 1, pending: 1 });
    expect(store.commitSendBatch([{ id: first!.id, response: '250 OK', at }], [second!.id], at)).toEqual(new Set([second!.id]));
    expect(store.deliveryCounts('2026-12-03')).toEqual({ sent: 1, sending: 1 });
  });

  it('hands claimed rows that never went out back as pending, their attempt not counted', () => {
    const { ranked, ada } = setup();
    store.createDeliveries([{ subscriberId: ada.id, digestDate: '2026-12-03', messageId: '<m1@x>', papers: ranked }], at);
    const [delivery] = store.sendableDeliveries('2026-12-03', at, 0, 10, { includeUncertain: false });
    store.commitSendBatch([], [delivery!.id], at);
    store.releaseDeliveries([delivery!.id], at);
    expect(store.getDelivery(delivery!.id)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('hands back the papers a delivery carries, in order, with scores and reasons', () => {
    const { ranked, ada } = setup();
    store.createDeliveries([{ subscriberId: ada.id, digestDate: '2026-12-03', messageId: '<m1@x>', papers: ranked }], at);
    const [delivery] = store.sendableDeliveries('2026-12-03', at, 0, 10, { includeUncertain: false });
    const carried = store.deliveryPapers(delivery!.id, delivery!.id).get(delivery!.id)!;
    expect(carried.map((r) => r.paper.key)).toEqual(ranked.map((r) => r.paper.key));
    expect(carried[0]!.reasons).toEqual(['Efficient architectures']);
  });

  it('lets only one claimer take a row', () => {
    const { ranked, ada } = setup();
    store.createDeliveries([{ subscriberId: ada.id, digestDate: '2026-12-03', messageId: '<m1@x>', papers: ranked }], at);
    const [delivery] = store.sendableDeliveries('2026-12-03', at, 0, 10, { includeUncertain: false });
    expect(store.commitSendBatch([], [delivery!.id], at).has(delivery!.id)).toBe(true);
    expect(store.commitSendBatch([], [delivery!.id], at).has(delivery!.id)).toBe(false);
  });

  it('turns rows a crash left sending into uncertain, and resends them only when asked', () => {
    const { ranked, ada } = setup();
    store.createDeliveries([{ subscriberId: ada.id, digestDate: '2026-12-03', messageId: '<m1@x>', papers: ranked }], at);
    const [delivery] = store.sendableDeliveries('2026-12-03', at, 0, 10, { includeUncertain: false });
    store.commitSendBatch([], [delivery!.id], at);
    expect(store.recoverInterruptedDeliveries(at)).toBe(1);
    expect(store.getDelivery(delivery!.id)!.status).toBe('uncertain');
    expect(store.sendableDeliveries('2026-12-03', at, 0, 10, { includeUncertain: false })).toHaveLength(0);
    expect(store.sendableDeliveries('2026-12-03', at, 0, 10, { includeUncertain: true })).toHaveLength(1);
  });

  it('retries a failed row only once its next attempt is due, and never a row with no next attempt', () => {
    const [first, second] = twoSendableRows();
    store.commitSendBatch([], [first!.id, second!.id], at);
    store.markDeliveryFailed(first!.id, '451 try later', new Date(at.getTime() + 60_000), at);
    store.markDeliveryFailed(second!.id, '550 no such user', null, at);
    expect(store.sendableDeliveries('2026-12-03', at, 0, 10, { includeUncertain: false })).toHaveLength(0);
    const later = new Date(at.getTime() + 61_000);
    expect(store.sendableDeliveries('2026-12-03', later, 0, 10, { includeUncertain: false }).map((d) => d.id)).toEqual([first!.id]);
  });
});
