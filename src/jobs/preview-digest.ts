import { DAY_MS } from '../dates.js';
import type { RankedPaper, Subscriber } from '../domain.js';
import { buildRankIndex } from '../rank/rank-papers.js';
import type { Store } from '../store/open-store.js';
import { PaperLookup, rankFor } from './send-digests.js';

export interface PreviewDeps {
  store: Pick<Store, 'papersSeenSince' | 'sentPaperIds' | 'feedbackInRange' | 'getPaper'>;
  now: () => Date;
}

/** What `subscriber`'s digest would hold now, computed exactly as a run would, without recording anything. */
export function previewDigest(deps: PreviewDeps, subscriber: Subscriber, maxAgeDays: number): RankedPaper[] {
  const candidates = deps.store.papersSeenSince(new Date(deps.now().getTime() - maxAgeDays * DAY_MS));
  if (candidates.length === 0) return [];
  const sent = deps.store.sentPaperIds(subscriber.id, subscriber.id, 0).get(subscriber.id);
  const clicks = deps.store.feedbackInRange(subscriber.id, subscriber.id).get(subscriber.id);
  const feedback = clicks && new PaperLookup(candidates, (id) => deps.store.getPaper(id)).feedback(clicks);
  return rankFor(buildRankIndex(candidates), subscriber, sent, feedback);
}
