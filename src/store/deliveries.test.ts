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
    expect(store.claimDelivery(delivery!.id, at)).toBe(true);
    expect(store.sentPaperIds(ada.id, ada.id, 0).size).toBe(0);
    store.markDeliverySent(delivery!.id, '250 OK', at);
    expect([...store.sentPaperIds(ada.id, ada.id, 0).get(ada.id)!].sort()).toEqual(papers.map((p) => p.id).sort());
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
    expect(store.claimDelivery(delivery!.id, at)).toBe(true);
    expect(store.claimDelivery(delivery!.id, at)).toBe(false);
  });

  it('turns rows a crash left sending into uncertain, and resends them only when asked', () => {
    const { ranked, ada } = setup();
    store.createDeliveries([{ subscriberId: ada.id, digestDate: '2026-12-03', messageId: '<m1@x>', papers: ranked }], at);
    const [delivery] = store.sendableDeliveries('2026-12-03', at, 0, 10, { includeUncertain: false });
    store.claimDelivery(delivery!.id, at);
    expect(store.recoverInterruptedDeliveries(at)).toBe(1);
    expect(store.getDelivery(delivery!.id)!.status).toBe('uncertain');
    expect(store.sendableDeliveries('2026-12-03', at, 0, 10, { includeUncertain: false })).toHaveLength(0);
    expect(store.sendableDeliveries('2026-12-03', at, 0, 10, { includeUncertain: true })).toHaveLength(1);
  });

  it('retries a failed row only once its next attempt is due, and never a row with no next attempt', () => {
    const { ranked, ada, bob } = setup();
    store.createDeliveries(
      [
        { subscriberId: ada.id, digestDate: '2026-12-03', messageId: '<m1@x>', papers: ranked },
        { subscriberId: bob.id, digestDate: '2026-12-03', messageId: '<m2@x>', papers: ranked },
      ],
      at,
    );
    const [first, second] = store.sendableDeliveries('2026-12-03', at, 0, 10, { includeUncertain: false });
    store.claimDelivery(first!.id, at);
    store.markDeliveryFailed(first!.id, '451 try later', new Date(at.getTime() + 60_000), at);
    store.claimDelivery(second!.id, at);
    store.markDeliveryFailed(second!.id, '550 no such user', null, at);
    expect(store.sendableDeliveries('2026-12-03', at, 0, 10, { includeUncertain: false })).toHaveLength(0);
    const later = new Date(at.getTime() + 61_000);
    expect(store.sendableDeliveries('2026-12-03', later, 0, 10, { includeUncertain: false }).map((d) => d.id)).toEqual([first!.id]);
  });
});
