import type { PaperEntry } from '../domain.js';
import { normalizePaper, type PaperDraft, type UnrankedEntry } from './normalize-paper.js';

/** Any listed item keeps some signal: being picked for a trending list is a signal in itself. */
const TRENDING_FLOOR = 0.05;
/** A feed's order is a weaker signal than votes: its first item scores what a vote list's middle does. */
const POSITION_CEILING = 0.5;

/**
 * A feed's drafts as entries: unusable items skipped, one entry per key (the first position,
 * with gaps filled from later duplicates), and a trending signal from upvotes when the feed has
 * them, else from the item's position.
 */
export function finishEntries(drafts: readonly PaperDraft[]): PaperEntry[] {
  const byKey = new Map<string, UnrankedEntry>();
  for (const draft of drafts) {
    const entry = normalizePaper(draft);
    if (entry === null) continue;
    const earlier = byKey.get(entry.key);
    byKey.set(entry.key, earlier ? fillGaps(earlier, entry) : entry);
  }
  const entries = [...byKey.values()];
  const hasVotes = entries.some((entry) => entry.upvotes !== null);
  const maxUpvotes = Math.max(0, ...entries.map((entry) => entry.upvotes ?? 0));
  return entries.map((entry, index) => ({
    ...entry,
    trending: hasVotes
      ? upvoteTrending(entry.upvotes ?? 0, maxUpvotes)
      : POSITION_CEILING * (1 - index / entries.length),
  }));
}

function upvoteTrending(upvotes: number, maxUpvotes: number): number {
  if (maxUpvotes <= 0) return TRENDING_FLOOR;
  return Math.max(TRENDING_FLOOR, Math.log1p(Math.max(0, upvotes)) / Math.log1p(maxUpvotes));
}

function fillGaps(first: UnrankedEntry, later: UnrankedEntry): UnrankedEntry {
  return {
    ...first,
    arxivId: first.arxivId ?? later.arxivId,
    doi: first.doi ?? later.doi,
    abstract: first.abstract || later.abstract,
    authors: first.authors.length > 0 ? first.authors : later.authors,
    pdfUrl: first.pdfUrl ?? later.pdfUrl,
    hfUrl: first.hfUrl ?? later.hfUrl,
    codeUrl: first.codeUrl ?? later.codeUrl,
    projectUrl: first.projectUrl ?? later.projectUrl,
    categories: [...new Set([...first.categories, ...later.categories])],
    keywords: [...new Set([...first.keywords, ...later.keywords])],
    aiSummary: first.aiSummary ?? later.aiSummary,
    publishedAt: first.publishedAt ?? later.publishedAt,
    upvotes: first.upvotes ?? later.upvotes,
    announceType: first.announceType ?? later.announceType,
  };
}
