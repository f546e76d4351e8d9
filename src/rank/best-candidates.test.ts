import { describe, expect, it } from 'vitest';
import { BestCandidates } from './best-candidates.js';

/** Papers at positions 0..n-1 with the given ids and scores, offered in order. */
function select(papers: readonly { id: number; score: number }[], limit: number): number[] {
  const best = new BestCandidates(Float64Array.from(papers, (paper) => paper.score), Float64Array.from(papers, (paper) => paper.id));
  best.reset(limit);
  papers.forEach((_, position) => best.offer(position));
  return best.take().map((position) => papers[position]!.id);
}

describe('BestCandidates', () => {
  it.each([
    { name: 'keeps the best by score, best first', limit: 2, papers: [[1, 0.5], [2, 2], [3, 1], [4, 1.5]], kept: [2, 4] },
    { name: 'breaks score ties by the lower paper id', limit: 2, papers: [[9, 1], [3, 1], [5, 1]], kept: [3, 5] },
    { name: 'keeps everything when fewer papers than the limit come', limit: 5, papers: [[1, 1], [2, 3]], kept: [2, 1] },
    { name: 'keeps nothing with a limit of zero', limit: 0, papers: [[1, 1]], kept: [] as number[] },
  ])('$name', ({ limit, papers, kept }) => {
    expect(select(papers.map(([id, score]) => ({ id: id!, score: score! })), limit)).toEqual(kept);
  });

  it('says whether a paper would be kept before it is offered', () => {
    const best = new BestCandidates(Float64Array.of(1, 3, 2), Float64Array.of(1, 2, 3));
    best.reset(1);
    best.offer(1);
    expect(best.admits(0)).toBe(false);
    expect(best.admits(2)).toBe(false);
    best.reset(2);
    expect(best.admits(0)).toBe(true);
  });

  it('starts empty again after each take, for the next subscriber', () => {
    const best = new BestCandidates(Float64Array.of(1), Float64Array.of(1));
    best.reset(3);
    best.offer(0);
    expect(best.take()).toEqual([0]);
    best.reset(3);
    expect(best.take()).toEqual([]);
  });

  it('agrees with a full sort on a long stream', () => {
    const papers = Array.from({ length: 500 }, (_, k) => ({ id: k + 1, score: ((k * 7919) % 101) / 10 }));
    const expected = [...papers].sort((a, b) => b.score - a.score || a.id - b.id).slice(0, 30);
    expect(select(papers, 30)).toEqual(expected.map((paper) => paper.id));
  });
});
