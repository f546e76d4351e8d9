/**
 * The per-run index of papers that makes ranking cheap per subscriber: papers are analyzed once,
 * and each topic's and each keyword's per-paper scores are computed on first use and then shared by
 * every subscriber who picked that topic or typed that keyword (listmonk's "compile once per run,
 * render per subscriber"). Pure: no I/O, no clock; its memos live and die with the index.
 *
 * How a phrase scores on a paper (BM25F-style, in "evidence units" so that one threshold means the
 * same thing for every topic and keyword):
 * - its word-for-word occurrences are weighted by field (title 3, abstract 1 — less in a long
 *   abstract —, Hugging Face keywords 1, AI summary 0.5), summed and saturated: one abstract
 *   mention is worth 1, a title mention about 1.6, never more than 2.2;
 * - times its specificity: 1 unless the phrase is in a large share of the papers ("model",
 *   "transformer" in a transformer-heavy day), then less, by IDF;
 * - times 1.5 for a phrase of several words: "activation steering" said is strong evidence;
 * - a phrase of several words whose words are all present but apart scores a quarter of its weakest
 *   word, at most 0.55: scattered words reorder, they never select on their own.
 */
import type { Paper, Topic } from '../domain.js';
import { analyzePhrase, analyzeText } from './analyze-text.js';
import { BestCandidates } from './best-candidates.js';
import { TAXONOMY } from './taxonomy.js';

export interface RankIndex {
  /** The papers ranked, in the order given to `buildRankIndex`. */
  readonly papers: readonly Paper[];
}

/**
 * One topic's or keyword's evidence for the papers it matches, sparse: `positions` (indexes into
 * `RankIndex.papers`, ascending) and the score at each. Shared by every subscriber: never mutate.
 */
export interface MatchVector {
  readonly positions: Int32Array;
  readonly scores: Float64Array;
}

/** A topic's evidence, with the topic (from the index's taxonomy). */
export interface TopicMatches extends MatchVector {
  readonly topic: Topic;
}

/** Sizes of the index's memos, for run summaries and for tests that check the sharing. */
export interface RankIndexStats {
  papers: number;
  topicsScored: number;
  phrasesScored: number;
  similaritiesComputed: number;
}

export function buildRankIndex(papers: readonly Paper[], taxonomy: readonly Topic[] = TAXONOMY): RankIndex {
  return new PaperIndex(papers, taxonomy);
}

/** The memoized scores of a topic for every paper; undefined when the slug is not in the index's taxonomy. */
export function topicMatches(index: RankIndex, slug: string): TopicMatches | undefined {
  return internals(index).topicMatches(slug);
}

/** The memoized scores of a keyword as typed; keywords with the same stems ("RLHF", "rlhf ") share one vector. */
export function keywordMatches(index: RankIndex, keyword: string): MatchVector {
  return internals(index).phraseMatches(keyword);
}

/** Positions of the papers where the keyword occurs word for word (stemmed), in any field: what an exclusion removes. */
export function keywordOccurrences(index: RankIndex, keyword: string): Int32Array {
  return internals(index).phraseMatches(keyword).exact;
}

/** Cosine similarity (TF-IDF over title and abstract stems) of two papers by position, memoized per pair. */
export function paperSimilarity(index: RankIndex, a: number, b: number): number {
  return internals(index).similarity(a, b);
}

export function describeRankIndex(index: RankIndex): RankIndexStats {
  const state = internals(index);
  return {
    papers: state.papers.length,
    topicsScored: state.topicCount(),
    phrasesScored: state.phraseCount(),
    similaritiesComputed: state.similarityCount(),
  };
}

/** Scratch arrays for one `rankPapers` call; ranking is synchronous, so one set per index is enough. */
export interface RankScratch {
  /** Sum and max of the interest items' scores per paper position; all zero between calls. */
  readonly sum: Float64Array;
  readonly max: Float64Array;
  /** Positions with a non-zero score in this call, `touched.length` >= papers. */
  readonly touched: Int32Array;
  /** 1 for positions an excluded keyword removes; all zero between calls. */
  readonly blocked: Uint8Array;
  /** This call's score and relevance per position, valid for the positions offered to `best`. */
  readonly score: Float64Array;
  readonly relevance: Float64Array;
  /** Each paper's id and trending signal (clamped to 0..1), by position. */
  readonly ids: Float64Array;
  readonly trending: Float64Array;
  /** Keeps the best candidates of a call, reading `score` and `ids`. */
  readonly best: BestCandidates;
}

export function rankScratch(index: RankIndex): RankScratch {
  return internals(index).scratch;
}

function internals(index: RankIndex): PaperIndex {
  if (!(index instanceof PaperIndex)) throw new TypeError('rank: the index was not made by buildRankIndex');
  return index;
}

const TITLE_WEIGHT = 3;
const ABSTRACT_WEIGHT = 1;
const KEYWORDS_WEIGHT = 1;
const SUMMARY_WEIGHT = 0.5;
/** How much a long abstract dilutes its mentions (BM25's b), only above the average length. */
const ABSTRACT_LENGTH_DILUTION = 0.3;
/** BM25's k1: saturation of repeated mentions. */
const SATURATION = 1.2;
/** Below this many papers, document frequencies say little: IDF is computed as if there were this many. */
const MIN_CORPUS_SIZE = 100;
/** A phrase in at most ~37% of papers (IDF >= 1) is fully specific; beyond that, its weight falls with IDF. */
const FULL_SPECIFICITY_IDF = 1;
const MULTI_WORD_BONUS = 1.5;
const SCATTERED_WEIGHT = 0.25;
/** Each further phrase of a topic adds half as much as the one before (a soft maximum). */
const TOPIC_PHRASE_DECAY = 0.5;
/**
 * Multiplies a topic's score on a paper filed under one of the topic's arXiv categories: zero stays
 * zero, and one stray mention (at most 1) stays under the threshold (1.2), so categories only reorder.
 */
const CATEGORY_BOOST = 1.15;
/** Stems of the title count double in similarity: titles name the idea. */
const SIMILARITY_TITLE_WEIGHT = 2;

/** Separates sentences and Hugging Face keywords inside a field, so no phrase matches across them. */
const BREAK = -1;

interface AnalyzedPaper {
  /** Stem ids per field (title, abstract, keywords, summary), sentences separated by BREAK. */
  readonly fields: readonly Int32Array[];
  /** Weight of one mention per field, abstract length dilution included. */
  readonly weights: readonly number[];
}

interface PhraseMatches extends MatchVector {
  readonly exact: Int32Array;
}

interface TermVector {
  readonly terms: Int32Array;
  readonly weights: Float64Array;
}

const NO_MATCHES: PhraseMatches = { positions: new Int32Array(0), scores: new Float64Array(0), exact: new Int32Array(0) };

class PaperIndex implements RankIndex {
  readonly papers: readonly Paper[];
  readonly scratch: RankScratch;
  private readonly topics: ReadonlyMap<string, Topic>;
  private readonly vocabulary = new Map<string, number>();
  /** Per stem id, the positions of the papers holding it anywhere, ascending. */
  private readonly postings: Int32Array[];
  private readonly analyzed: AnalyzedPaper[];
  private readonly effectiveCorpusSize: number;
  private readonly topicMemo = new Map<string, TopicMatches>();
  /** Keyed by stems joined with spaces. */
  private readonly phraseMemo = new Map<string, PhraseMatches>();
  /** A phrase as typed → its stem key: analysis skipped for every repeat of the same text. */
  private readonly phraseKeys = new Map<string, string>();
  private readonly termVectors: (TermVector | undefined)[];
  private readonly similarityMemo: PairMemo;

  constructor(papers: readonly Paper[], taxonomy: readonly Topic[]) {
    this.papers = papers;
    this.topics = new Map(taxonomy.map((topic) => [topic.slug, topic]));
    this.effectiveCorpusSize = Math.max(papers.length, MIN_CORPUS_SIZE);
    const stems = papers.map((paper) => [
      analyzeText(paper.title),
      analyzeText(paper.abstract),
      paper.keywords.map((keyword) => analyzePhrase(keyword)),
      analyzeText(paper.aiSummary ?? ''),
    ]);
    const abstractLengths = stems.map(([, abstract]) => countStems(abstract ?? []));
    const averageAbstractLength = Math.max(1, abstractLengths.reduce((sum, length) => sum + length, 0) / Math.max(1, papers.length));
    const postingLists: number[][] = [];
    this.analyzed = stems.map((fields, position) => {
      const ids = fields.map((sentences) => this.encode(sentences));
      for (const id of new Set(ids.flatMap((field) => [...field]))) {
        if (id === BREAK) continue;
        (postingLists[id] ??= []).push(position);
      }
      const relativeLength = Math.max(1, abstractLengths[position]! / averageAbstractLength);
      const abstractNorm = 1 - ABSTRACT_LENGTH_DILUTION + ABSTRACT_LENGTH_DILUTION * relativeLength;
      return { fields: ids, weights: [TITLE_WEIGHT, ABSTRACT_WEIGHT / abstractNorm, KEYWORDS_WEIGHT, SUMMARY_WEIGHT] };
    });
    this.postings = Array.from({ length: this.vocabulary.size }, (_, id) => Int32Array.from(postingLists[id] ?? []));
    this.termVectors = new Array<TermVector | undefined>(papers.length);
    this.similarityMemo = new PairMemo(papers.length);
    const score = new Float64Array(papers.length);
    const ids = Float64Array.from(papers, (paper) => paper.id);
    this.scratch = {
      sum: new Float64Array(papers.length),
      max: new Float64Array(papers.length),
      touched: new Int32Array(papers.length),
      blocked: new Uint8Array(papers.length),
      score,
      relevance: new Float64Array(papers.length),
      ids,
      trending: Float64Array.from(papers, (paper) => clamp01(paper.trending)),
      best: new BestCandidates(score, ids),
    };
  }

  topicMatches(slug: string): TopicMatches | undefined {
    const cached = this.topicMemo.get(slug);
    if (cached) return cached;
    const topic = this.topics.get(slug);
    if (!topic) return undefined;
    const vector = this.scoreTopic(topic);
    this.topicMemo.set(slug, vector);
    return vector;
  }

  phraseMatches(phrase: string): PhraseMatches {
    let key = this.phraseKeys.get(phrase);
    if (key === undefined) {
      key = analyzePhrase(phrase).join(' ');
      this.phraseKeys.set(phrase, key);
    }
    let matches = this.phraseMemo.get(key);
    if (!matches) {
      matches = key === '' ? NO_MATCHES : this.scorePhrase(key.split(' '));
      this.phraseMemo.set(key, matches);
    }
    return matches;
  }

  similarity(a: number, b: number): number {
    if (a === b) return 1;
    const key = a < b ? (b * (b - 1)) / 2 + a : (a * (a - 1)) / 2 + b;
    let similarity = this.similarityMemo.get(key);
    if (similarity === undefined) {
      similarity = cosine(this.termVector(a), this.termVector(b));
      this.similarityMemo.set(key, similarity);
    }
    return similarity;
  }

  topicCount(): number {
    return this.topicMemo.size;
  }

  phraseCount(): number {
    return this.phraseMemo.size;
  }

  similarityCount(): number {
    return this.similarityMemo.size;
  }

  private encode(sentences: readonly (readonly string[])[]): Int32Array {
    const ids: number[] = [];
    for (const sentence of sentences) {
      if (ids.length > 0) ids.push(BREAK);
      for (const stem of sentence) {
        let id = this.vocabulary.get(stem);
        if (id === undefined) {
          id = this.vocabulary.size;
          this.vocabulary.set(stem, id);
        }
        ids.push(id);
      }
    }
    return Int32Array.from(ids);
  }

  private scorePhrase(stems: readonly string[]): PhraseMatches {
    const ids: number[] = [];
    for (const stem of stems) {
      const id = this.vocabulary.get(stem);
      if (id === undefined) return NO_MATCHES;
      ids.push(id);
    }
    const candidates = this.papersWithAll(ids);
    const mentions = candidates.map((position) => this.weightedMentions(position, ids));
    const exact = candidates.filter((_, k) => mentions[k]! > 0);
    const specificity = this.specificity(exact.length) * (ids.length > 1 ? MULTI_WORD_BONUS : 1);
    const stemSpecificity = ids.map((id) => this.specificity(this.postings[id]!.length));
    const positions: number[] = [];
    const scores: number[] = [];
    candidates.forEach((position, k) => {
      let score = saturate(mentions[k]!) * specificity;
      if (score === 0) {
        // Every word is there (candidates hold all stems), just not in a row: credit the weakest word.
        score = SCATTERED_WEIGHT * Math.min(...ids.map((id, i) => saturate(this.weightedMentions(position, [id])) * stemSpecificity[i]!));
      }
      if (score > 0) {
        positions.push(position);
        scores.push(score);
      }
    });
    return { positions: Int32Array.from(positions), scores: Float64Array.from(scores), exact: Int32Array.from(exact) };
  }

  private scoreTopic(topic: Topic): TopicMatches {
    const perPaper = new Map<number, number[]>();
    const seen = new Set<PhraseMatches>();
    for (const phrase of topic.phrases) {
      const matches = this.phraseMatches(phrase);
      if (seen.has(matches)) continue;
      seen.add(matches);
      matches.positions.forEach((position, k) => {
        const scores = perPaper.get(position) ?? [];
        scores.push(matches.scores[k]!);
        perPaper.set(position, scores);
      });
    }
    const positions = [...perPaper.keys()].sort((a, b) => a - b);
    const scores = positions.map((position) => {
      const phraseScores = perPaper.get(position)!.sort((a, b) => b - a);
      let score = 0;
      let weight = 1;
      for (const phraseScore of phraseScores) {
        score += weight * phraseScore;
        weight *= TOPIC_PHRASE_DECAY;
      }
      const categories = this.papers[position]!.categories;
      const filed = categories.some((category) => topic.categories.some((pattern) => categoryMatches(pattern, category)));
      return filed ? score * CATEGORY_BOOST : score;
    });
    return { topic, positions: Int32Array.from(positions), scores: Float64Array.from(scores) };
  }

  /** Positions of the papers holding every stem id somewhere, ascending (intersection of postings, rarest first). */
  private papersWithAll(ids: readonly number[]): number[] {
    const lists = [...new Set(ids)].map((id) => this.postings[id]!).sort((a, b) => a.length - b.length);
    let result = [...lists[0]!];
    for (const list of lists.slice(1)) {
      const members = new Set(list);
      result = result.filter((position) => members.has(position));
    }
    return result;
  }

  /** Field-weighted count of the word-for-word occurrences of a stem sequence in one paper. */
  private weightedMentions(position: number, ids: readonly number[]): number {
    const { fields, weights } = this.analyzed[position]!;
    let total = 0;
    fields.forEach((field, f) => {
      const count = countOccurrences(field, ids);
      if (count > 0) total += count * weights[f]!;
    });
    return total;
  }

  /** 1 for a phrase in few papers, falling with IDF once it is in more than about a third of them. */
  private specificity(documentFrequency: number): number {
    const n = this.effectiveCorpusSize;
    const idf = Math.log(1 + (n - documentFrequency + 0.5) / (documentFrequency + 0.5));
    return Math.min(1, idf / FULL_SPECIFICITY_IDF);
  }

  private termVector(position: number): TermVector {
    let vector = this.termVectors[position];
    if (!vector) {
      const counts = new Map<number, number>();
      const [title, abstract] = this.analyzed[position]!.fields;
      for (const id of title!) if (id !== BREAK) counts.set(id, (counts.get(id) ?? 0) + SIMILARITY_TITLE_WEIGHT);
      for (const id of abstract!) if (id !== BREAK) counts.set(id, (counts.get(id) ?? 0) + 1);
      const terms = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
      const n = this.papers.length;
      const weights = Float64Array.from(terms, (id) => (1 + Math.log(counts.get(id)!)) * Math.log((n + 1) / this.postings[id]!.length));
      const norm = Math.sqrt(weights.reduce((sum, weight) => sum + weight * weight, 0)) || 1;
      for (let k = 0; k < weights.length; k++) weights[k] = weights[k]! / norm;
      vector = { terms, weights };
      this.termVectors[position] = vector;
    }
    return vector;
  }
}

/** Pairs up to this many are memoized in one array (16 MB, about 2,000 papers); beyond, in a Map. */
const MAX_DENSE_PAIRS = 2_000_000;

/**
 * Memo of one number per unordered pair of papers, keyed by triangular index. Ranking looks pairs up
 * for every subscriber, so while the day is small they live in an array (no hashing), allocated on
 * first use; a huge day falls back to a Map holding only the pairs asked for.
 */
class PairMemo {
  size = 0;
  private dense: Float64Array | undefined;
  private readonly sparse = new Map<number, number>();
  private readonly pairs: number;

  constructor(papers: number) {
    this.pairs = (papers * (papers - 1)) / 2;
  }

  get(key: number): number | undefined {
    if (this.pairs > MAX_DENSE_PAIRS) return this.sparse.get(key);
    const value = this.dense?.[key];
    return value === undefined || Number.isNaN(value) ? undefined : value;
  }

  set(key: number, value: number): void {
    this.size++;
    if (this.pairs > MAX_DENSE_PAIRS) {
      this.sparse.set(key, value);
      return;
    }
    this.dense ??= new Float64Array(this.pairs).fill(Number.NaN);
    this.dense[key] = value;
  }
}

function countStems(sentences: readonly (readonly string[])[]): number {
  return sentences.reduce((sum, sentence) => sum + sentence.length, 0);
}

function countOccurrences(field: Int32Array, ids: readonly number[]): number {
  let count = 0;
  const last = field.length - ids.length;
  for (let start = 0; start <= last; start++) {
    let k = 0;
    while (k < ids.length && field[start + k] === ids[k]) k++;
    if (k === ids.length) count++;
  }
  return count;
}

function saturate(mentions: number): number {
  return (mentions * (SATURATION + 1)) / (mentions + SATURATION);
}

/** `q-bio.*` matches every q-bio category; anything else matches itself, ignoring case. */
function categoryMatches(pattern: string, category: string): boolean {
  const p = pattern.toLowerCase();
  const c = category.toLowerCase();
  return p.endsWith('.*') ? c === p.slice(0, -2) || c.startsWith(p.slice(0, -1)) : c === p;
}

function cosine(a: TermVector, b: TermVector): number {
  let dot = 0;
  let i = 0;
  let j = 0;
  while (i < a.terms.length && j < b.terms.length) {
    const ta = a.terms[i]!;
    const tb = b.terms[j]!;
    if (ta === tb) dot += a.weights[i++]! * b.weights[j++]!;
    else if (ta < tb) i++;
    else j++;
  }
  return dot;
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
