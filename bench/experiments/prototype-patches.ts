/**
 * Prototype changes to papermail's run, applied from outside on the live objects of one benchmark
 * run (`--experiments`), to measure what a proposed change to src/ would gain before anyone makes it.
 * Each says which file the real change belongs in. They bend the ledger's rules where a real change
 * would not need to (see each); they are measurements, not implementations.
 */
import Database from 'better-sqlite3';
import type { App } from '../../src/app.js';
import type { Paper, RankedPaper } from '../../src/domain.js';

export const PATCHES = {
  /**
   * src/jobs/send-digests.ts + src/store/deliveries.ts: claim a page's rows in one transaction and
   * commit "sent" in batches of 50 (and at each page end) instead of two write transactions per digest.
   * (The prototype claims a whole page before sending it; a real change would claim in chunks of
   * `concurrency` so a crash leaves few rows `sending`.)
   */
  'ledger-batch': (app: App) => {
    const { store } = app;
    const claim = store.claimDelivery;
    const markSent = store.markDeliverySent;
    const sendable = store.sendableDeliveries;
    const claimed = new Set<number>();
    let pending: [number, string, Date][] = [];
    const flush = () => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      store.transaction(() => batch.forEach(([id, response, at]) => markSent(id, response, at)));
    };
    store.sendableDeliveries = (...args) => {
      flush();
      const rows = sendable(...args);
      store.transaction(() => rows.forEach((row) => claim(row.id, args[1]) && claimed.add(row.id)));
      return rows;
    };
    store.claimDelivery = (id, at) => claimed.delete(id) || claim(id, at);
    store.markDeliverySent = (id, response, at) => {
      pending.push([id, response, at]);
      if (pending.length >= 50) flush();
    };
  },
  /**
   * src/store/deliveries.ts (deliveryPapers): hand out one Paper object per paper for the whole run
   * instead of new ones per page, so the renderer's per-paper cache hits by identity instead of
   * comparing every rendered field (`sameRenderedFields`).
   */
  'paper-identity': (app: App) => {
    const { store } = app;
    const deliveryPapers = store.deliveryPapers;
    const papers = new Map<number, Paper>();
    store.deliveryPapers = (...args) => {
      const byDelivery = deliveryPapers(...args);
      for (const ranked of byDelivery.values()) {
        for (const [k, item] of ranked.entries()) {
          let paper = papers.get(item.paper.id);
          if (!paper) papers.set(item.paper.id, (paper = item.paper));
          ranked[k] = { ...item, paper } satisfies RankedPaper;
        }
      }
      return byDelivery;
    };
  },
  /**
   * src/store/deliveries.ts (sentPaperIds): one row per subscriber (`group_concat`) instead of one
   * row per sent paper: far fewer rows cross from SQLite to JavaScript.
   */
  'sent-group-concat': (app: App) => {
    const db = new Database(app.store.path, { readonly: true, fileMustExist: true });
    const query = db
      .prepare<[number, number, number], [number, string]>(
        'SELECT subscriber_id, group_concat(paper_id) FROM sent_papers WHERE subscriber_id BETWEEN ? AND ? AND paper_id >= ? GROUP BY subscriber_id',
      )
      .raw(true);
    app.store.sentPaperIds = (fromId, toId, minPaperId) => {
      const sent = new Map<number, Set<number>>();
      for (const [subscriberId, list] of query.all(fromId, toId, minPaperId)) {
        const ids = new Set<number>();
        for (const id of list.split(',')) ids.add(Number(id));
        sent.set(subscriberId, ids);
      }
      return sent;
    };
  },
} as const satisfies Record<string, (app: App) => void>;

export type PatchName = keyof typeof PATCHES;
