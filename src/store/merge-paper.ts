import type { Paper, PaperEntry } from '../domain.js';

type PaperFields = Omit<PaperEntry, 'announceType'>;

const longer = (a: string, b: string): string => (b.length > a.length ? b : a);
const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])];
const maxOrNull = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.max(a, b);

/**
 * What several sources say about one paper, merged: the richest text, every link any source knows,
 * and the highest trending signal. The key and the first-seen time never change.
 */
export function mergePaper(existing: Paper, entry: PaperFields): Paper {
  return {
    ...existing,
    arxivId: existing.arxivId ?? entry.arxivId,
    doi: existing.doi ?? entry.doi,
    title: existing.title.length > 0 ? existing.title : entry.title,
    abstract: longer(existing.abstract, entry.abstract),
    authors: entry.authors.length > existing.authors.length ? entry.authors : existing.authors,
    url: existing.arxivId === null && entry.arxivId !== null ? entry.url : existing.url,
    pdfUrl: existing.pdfUrl ?? entry.pdfUrl,
    hfUrl: existing.hfUrl ?? entry.hfUrl,
    codeUrl: existing.codeUrl ?? entry.codeUrl,
    projectUrl: existing.projectUrl ?? entry.projectUrl,
    categories: union(existing.categories, entry.categories),
    keywords: union(existing.keywords, entry.keywords),
    aiSummary: existing.aiSummary ?? entry.aiSummary,
    publishedAt: existing.publishedAt ?? entry.publishedAt,
    upvotes: maxOrNull(existing.upvotes, entry.upvotes),
    trending: Math.max(existing.trending, entry.trending),
  };
}

/** True when a merge changed anything worth writing. */
export function paperChanged(before: Paper, after: Paper): boolean {
  return JSON.stringify(before) !== JSON.stringify(after);
}
