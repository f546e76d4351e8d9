import type { AcceptedDelivery } from '../store/deliveries.js';
import type { Store } from '../store/open-store.js';

export interface LedgerBatch {
  /** Commits the accepted rows buffered so far and claims `ids`, in one write transaction; returns the ids claimed. */
  claim(ids: readonly number[]): Set<number>;
  /** The server accepted row `id`: buffered, committed as `sent` with the next claim or within `flushAfterMs`. */
  accepted(id: number, response: string): void;
  /** Commits what is buffered now. */
  flush(): void;
}

export interface LedgerBatchOptions {
  /** Commit at once when this many accepted rows are waiting. */
  maxBuffered?: number;
  /** Commit accepted rows no later than this after the first one arrived. */
  flushAfterMs?: number;
}

/**
 * Group commit for the send phase. One write transaction per delivery state (claim, then sent) cost
 * ~150 µs per digest, more than rendering it; batching them keeps the ledger's order of events
 * (every claim committed before its SMTP transaction starts) at a fraction of that. A crash loses
 * only uncommitted `sent` marks: those rows stay `sending` and the next run reports them `uncertain`,
 * exactly as a crash between the server's reply and a single commit would.
 */
export function createLedgerBatch(store: Pick<Store, 'commitSendBatch'>, now: () => Date, options: LedgerBatchOptions = {}): LedgerBatch {
  const maxBuffered = options.maxBuffered ?? 200;
  const flushAfterMs = options.flushAfterMs ?? 20;
  let buffered: AcceptedDelivery[] = [];
  let timer: NodeJS.Timeout | null = null;

  function commit(claimIds: readonly number[]): Set<number> {
    if (timer) clearTimeout(timer);
    timer = null;
    const accepted = buffered;
    buffered = [];
    if (accepted.length === 0 && claimIds.length === 0) return new Set();
    try {
      return store.commitSendBatch(accepted, claimIds, now());
    } catch (error) {
      // Nothing of the transaction stuck: keep the accepted rows for the next commit, and say so to the caller.
      buffered = accepted.concat(buffered);
      throw error;
    }
  }

  function commitLater(): void {
    timer = null;
    try {
      commit([]);
    } catch {
      // The database was busy past its timeout: the rows wait for the next claim, which reports the error.
      timer = setTimeout(commitLater, flushAfterMs);
    }
  }

  return {
    claim: (ids) => commit(ids),
    accepted(id, response) {
      buffered.push({ id, response, at: now() });
      if (buffered.length >= maxBuffered) commit([]);
      else timer ??= setTimeout(commitLater, flushAfterMs);
    },
    flush: () => void commit([]),
  };
}
