/**
 * Ranking metrics over graded labels (0 not related, 1 partly, 2 clearly on topic), as TREC uses
 * them: a paper with no label counts as 0, and a digest shorter than k is padded with misses.
 */
import type { Grade } from './judged-set.js';

/** Share of the first k positions holding a paper graded 1 or 2 (k in the denominator, however short the list). */
export function precisionAtK(ranked: readonly string[], labels: Readonly<Record<string, Grade>>, k: number): number {
  if (k <= 0) return 0;
  let hits = 0;
  for (const id of ranked.slice(0, k)) if ((labels[id] ?? 0) > 0) hits++;
  return hits / k;
}

/**
 * Normalized discounted cumulative gain at k, with gain 2^grade − 1 (a clear match is worth three
 * partial ones) and discount log2(rank + 1); 0 when no paper is labelled relevant.
 */
export function ndcgAtK(ranked: readonly string[], labels: Readonly<Record<string, Grade>>, k: number): number {
  const ideal = dcg(
    Object.values(labels)
      .filter((grade) => grade > 0)
      .sort((a, b) => b - a),
    k,
  );
  if (ideal === 0) return 0;
  return dcg(
    ranked.map((id) => labels[id] ?? 0),
    k,
  ) / ideal;
}

function dcg(grades: readonly number[], k: number): number {
  let total = 0;
  grades.slice(0, k).forEach((grade, index) => {
    total += (2 ** grade - 1) / Math.log2(index + 2);
  });
  return total;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
