import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { paperEntry } from '../../test/support/fixtures.js';
import { tempStore } from '../../test/support/temp-store.js';

describe('paper queries', () => {
  let store: ReturnType<typeof tempStore>;
  beforeEach(() => (store = tempStore()));
  afterEach(() => store.cleanup());

  const day1 = new Date('2026-12-01T07:00:00Z');
  const day2 = new Date('2026-12-02T07:00:00Z');

  it('stores a new paper with the time papermail first saw it', () => {
    expect(store.upsertPapers([paperEntry()], null, day1)).toEqual({ added: 1, updated: 0, skippedReplacements: 0 });
    const paper = store.getPaperByKey('arxiv:2312.00752')!;
    expect(paper.title).toMatch(/^Mamba/);
    expect(paper.authors).toEqual(['Albert Gu', 'Tri Dao']);
    expect(paper.firstSeenAt).toBe(day1.toISOString());
  });

  it('merges a second source into one paper: richest fields, highest trending, first-seen kept', () => {
    store.upsertPapers([paperEntry({ abstract: 'short', upvotes: null, trending: 0.2 })], null, day1);
    const result = store.upsertPapers(
      [paperEntry({ abstract: 'a much longer abstract from the second source', upvotes: 120, trending: 0.9, codeUrl: 'https://github.com/state-spaces/mamba', keywords: ['selective SSM'] })],
      null,
      day2,
    );
    expect(result).toEqual({ added: 0, updated: 1, skippedReplacements: 0 });
    const paper = store.getPaperByKey('arxiv:2312.00752')!;
    expect(paper.abstract).toBe('a much longer abstract from the second source');
    expect(paper.upvotes).toBe(120);
    expect(paper.trending).toBe(0.9);
    expect(paper.codeUrl).toBe('https://github.com/state-spaces/mamba');
    expect(paper.keywords).toEqual(['selective SSM']);
    expect(paper.firstSeenAt).toBe(day1.toISOString());
  });

  it('does not count a lower trending signal or a poorer source as an update', () => {
    store.upsertPapers([paperEntry({ trending: 0.9, upvotes: 50 })], null, day1);
    expect(store.upsertPapers([paperEntry({ trending: 0.1, upvotes: 3, abstract: 'short' })], null, day2).updated).toBe(0);
    expect(store.getPaperByKey('arxiv:2312.00752')!.upvotes).toBe(50);
  });

  it('skips an arXiv replacement of a paper it never saw: a new version is not a new paper', () => {
    const result = store.upsertPapers([paperEntry({ arxivId: '2001.00001', key: 'arxiv:2001.00001', announceType: 'replace' })], null, day1);
    expect(result).toEqual({ added: 0, updated: 0, skippedReplacements: 1 });
    expect(store.countPapers()).toBe(0);
  });

  it('lists only papers first seen within the window as candidates', () => {
    store.upsertPapers([paperEntry({ arxivId: '2001.00001', key: 'arxiv:2001.00001' })], null, day1);
    store.upsertPapers([paperEntry({ arxivId: '2001.00002', key: 'arxiv:2001.00002' })], null, day2);
    expect(store.papersSeenSince(day2).map((paper) => paper.key)).toEqual(['arxiv:2001.00002']);
    expect(store.papersSeenSince(day1)).toHaveLength(2);
  });
});
