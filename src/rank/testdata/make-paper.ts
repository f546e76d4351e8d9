import type { Interests, Paper } from '../../domain.js';

/** A paper as the store hands it to ranking, with only what a test cares about filled in. */
export function makePaper(fields: Partial<Paper> & Pick<Paper, 'id' | 'title'>): Paper {
  return {
    key: `url:https://example.org/papers/${fields.id}`,
    arxivId: null,
    doi: null,
    abstract: '',
    authors: [],
    url: `https://example.org/papers/${fields.id}`,
    pdfUrl: null,
    hfUrl: null,
    codeUrl: null,
    projectUrl: null,
    categories: [],
    keywords: [],
    aiSummary: null,
    publishedAt: null,
    upvotes: null,
    trending: 0,
    firstSeenAt: '2026-12-03T05:00:00.000Z',
    ...fields,
  };
}

export function interests(fields: Partial<Interests>): Interests {
  return { topics: [], keywords: [], excluded: [], ...fields };
}
