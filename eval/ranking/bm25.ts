/**
 * The baseline: plain Okapi BM25 over title + abstract, the way a search box would rank the papers
 * for what a reader typed. Lower-cased, Unicode-folded alphanumeric tokens (hyphens split), the
 * 33 English stop words of Lucene's classic analyzer removed, no stemming; k1 = 1.2, b = 0.75,
 * IDF = ln(1 + (N − df + 0.5) / (df + 0.5)). No trending, no diversity.
 */
export interface Bm25Document {
  id: string;
  text: string;
}

const K1 = 1.2;
const B = 0.75;

/** Lucene's ENGLISH_STOP_WORDS_SET. */
const STOP_WORDS = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(
    ' ',
  ),
);

export function bm25Tokens(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  return [...folded.matchAll(/[\p{L}\p{N}]+/gu)].map((match) => match[0]).filter((token) => !STOP_WORDS.has(token));
}

export class Bm25Index {
  private readonly termFrequencies: Map<string, number>[];
  private readonly lengths: number[];
  private readonly averageLength: number;
  private readonly documentFrequency = new Map<string, number>();
  private readonly tokens: string[][];

  constructor(private readonly documents: readonly Bm25Document[]) {
    this.tokens = documents.map((document) => bm25Tokens(document.text));
    this.lengths = this.tokens.map((tokens) => tokens.length);
    this.averageLength = this.lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, documents.length);
    this.termFrequencies = this.tokens.map((tokens) => {
      const counts = new Map<string, number>();
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const token of counts.keys()) this.documentFrequency.set(token, (this.documentFrequency.get(token) ?? 0) + 1);
      return counts;
    });
  }

  /**
   * The ids of the best `size` documents for a query (each query token counts as often as it is
   * typed), leaving out every document that contains an excluded phrase word for word — what a
   * search box's `-"phrase"` does. Ties keep the documents' order.
   */
  search(query: string, size: number, excluded: readonly string[] = []): string[] {
    const queryTokens = bm25Tokens(query);
    const excludedPhrases = excluded.map(bm25Tokens).filter((phrase) => phrase.length > 0);
    const n = this.documents.length;
    const scored: { index: number; score: number }[] = [];
    this.termFrequencies.forEach((counts, index) => {
      if (excludedPhrases.some((phrase) => containsPhrase(this.tokens[index]!, phrase))) return;
      const norm = K1 * (1 - B + (B * this.lengths[index]!) / this.averageLength);
      let score = 0;
      for (const token of queryTokens) {
        const tf = counts.get(token);
        if (tf === undefined) continue;
        const df = this.documentFrequency.get(token)!;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * tf * (K1 + 1)) / (tf + norm);
      }
      if (score > 0) scored.push({ index, score });
    });
    scored.sort((a, b) => b.score - a.score || a.index - b.index);
    return scored.slice(0, size).map(({ index }) => this.documents[index]!.id);
  }
}

function containsPhrase(tokens: readonly string[], phrase: readonly string[]): boolean {
  for (let start = 0; start + phrase.length <= tokens.length; start++) {
    let k = 0;
    while (k < phrase.length && tokens[start + k] === phrase[k]) k++;
    if (k === phrase.length) return true;
  }
  return false;
}
