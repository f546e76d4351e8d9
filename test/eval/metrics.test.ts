import { describe, expect, it } from 'vitest';
import type { Grade } from '../../eval/ranking/judged-set.js';
import { mean, ndcgAtK, precisionAtK } from '../../eval/ranking/metrics.js';

const labels: Record<string, Grade> = { a: 2, b: 1, c: 2, d: 0 };

describe('precisionAtK', () => {
  it.each([
    ['all relevant first', ['a', 'c', 'b'], 3, 1],
    ['one miss among three', ['a', 'x', 'b'], 3, 2 / 3],
    ['a labelled 0 and an unlabelled paper are both misses', ['d', 'x'], 2, 0],
    ['a short list padded with misses', ['a'], 4, 1 / 4],
    ['only the first k count', ['x', 'a', 'c'], 1, 0],
    ['k of zero', ['a'], 0, 0],
  ])('gives %s', (_, ranked, k, expected) => {
    expect(precisionAtK(ranked, labels, k)).toBeCloseTo(expected, 12);
  });
});

describe('ndcgAtK', () => {
  it('is 1 for the ideal order', () => {
    expect(ndcgAtK(['a', 'c', 'b'], labels, 3)).toBeCloseTo(1, 12);
  });

  it('matches a hand computation with gains 2^g − 1 and log2 discounts', () => {
    // DCG = (2^1−1)/log2(2) + (2^2−1)/log2(3) + 0 = 1 + 3/1.58496 = 2.89279
    // IDCG = 3/1 + 3/log2(3) + 1/log2(4) = 3 + 1.89279 + 0.5 = 5.39279
    expect(ndcgAtK(['b', 'a', 'x'], labels, 3)).toBeCloseTo(2.892789 / 5.392789, 5);
  });

  it('cuts both the ranking and the ideal at k', () => {
    // k = 1: DCG = 1 (b), IDCG = 3 (a or c).
    expect(ndcgAtK(['b', 'a'], labels, 1)).toBeCloseTo(1 / 3, 12);
  });

  it('is 0 for an empty ranking and when nothing is relevant', () => {
    expect(ndcgAtK([], labels, 10)).toBe(0);
    expect(ndcgAtK(['a'], { d: 0 }, 10)).toBe(0);
  });
});

describe('mean', () => {
  it('averages, and is 0 for no values', () => {
    expect(mean([0.5, 1, 0])).toBeCloseTo(0.5, 12);
    expect(mean([])).toBe(0);
  });
});
