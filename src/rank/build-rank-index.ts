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
 * - a keyword as typed also counts, as half a mention each, the sentences that hold its words
 *   close together but not word for word ("steering ... activations" for "activation steering");
 *   a taxonomy phrase is the field's own term and counts word for word only;
 * - times its specificity: 1 unless the phrase is in a large share of the papers ("model",
 *   "transformer" in a transformer-heavy day), then less, by IDF;
 * - times 1.5 for a phrase of several words: "activation steering" said is strong evidence;
 * - a phrase of several words whose words are all present but not word for word adds a quarter of
 *   its weakest word, at most 0.55: scattered words reorder, they never select on their own.
 *
 * A keyword of several words also learns from its clearest matches (pseudo-relevance feedback,
 * once per keyword): the papers it touches gain their cosine likeness to the matches' TF-IDF
 * centroid (at most +1), and papers that hold half its telling words and resemble the matches
 * (mean similarity >= 0.08, where 99% of random draws stay below) become "related": a second tier
 * that fills a digest the matches leave short (`relatedPapers`).
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
  return internals(index).keywordEvidence(keyword).matches;
}

/**
 * Papers a keyword of several words does not select but that hold at least half of its telling
 * words (those in fewer than about a third of the papers) and resemble its clearest matches (mean
 * similarity to them from RELATED_SIMILARITY up): what fills a digest that the keyword's own
 * matches leave short. Empty for a one-word keyword, and for a
 * keyword with fewer than three clear matches to learn the neighbourhood from. Memoized.
 */
export function relatedPapers(index: RankIndex, keyword: string): MatchVector {
  const evidence = internals(index).keywordEvidence(keyword);
  // Computed on first need: most digests are full without it.
  evidence.related ??= internals(index).findRelated(evidence.lexical);
  return evidence.related;
}

/**
 * Positions of the papers that mention the keyword, in any field: word for word (stemmed) or, for a
 * phrase, its words close together in one sentence ("driving of autonomous cars" for "autonomous
 * driving") — what an exclusion removes, the same mentions that would select the paper if typed as a keyword.
 */
export function keywordOccurrences(index: RankIndex, keyword: string): Int32Array {
  return internals(index).phraseMatches(keyword, 'typed').mentioned;
}

/** Cosine similarity (TF-IDF over title and abstract stems) of two papers by position, memoized per pair. */
export function paperSimilarity(index: RankIndex, a: number, b: number): number {
  return internals(index).similarity(a, b);
}

/**
 * A reader's "more like this" / "less like this" clicks as a Rocchio profile over the index's terms:
 * the mean TF-IDF vector of the liked papers minus that of the disliked ones, written into the
 * scratch `profile` (which `releaseFeedbackProfile` must clear). The clicked papers need not be in
 * the index (they are usually from earlier days); their vectors use the index's vocabulary and IDF.
 * Returns the stem ids written, or null when no clicked paper shares a term with the index.
 */
export function writeFeedbackProfile(index: RankIndex, liked: readonly Paper[], disliked: readonly Paper[]): number[] | null {
  return internals(index).writeProfile(liked, disliked);
}

export function releaseFeedbackProfile(index: RankIndex, terms: readonly number[]): void {
  const { profile } = internals(index).scratch;
  for (const term of terms) profile[term] = 0;
}

/** A paper's (by position) dot product with the profile written by `writeFeedbackProfile`: its cosine-like likeness, -1..1. */
export function feedbackLikeness(index: RankIndex, position: number): number {
  const state = internals(index);
  return state.dotWithScratch(position, state.scratch.profile);
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
  /** 1 for positions of papers the subscriber was already sent (`markSent`); all zero between calls. */
  readonly sent: Uint8Array;
  /** This call's score and relevance per position, valid for the positions offered to `best`. */
  readonly score: Float64Array;
  readonly relevance: Float64Array;
  /** Each paper's id and trending signal (clamped to 0..1), by position. */
  readonly ids: Float64Array;
  readonly trending: Float64Array;
  /** Keeps the best candidates of a call, reading `score` and `ids`. */
  readonly best: BestCandidates;
  /** Per paper position, all zero between uses: word counts while a keyword's related papers are found. */
  readonly holding: Int32Array;
  /** Per stem id, all zero between uses: the clear matches' centroid or mean while a keyword is expanded or its related papers found. */
  readonly centroid: Float64Array;
  /** Per stem id, all zero between uses: one subscriber's feedback profile while it is ranked. */
  readonly profile: Float64Array;
}

/**
 * Marks, in the scratch `sent`, the candidates among the paper ids a subscriber was already sent (ids
 * of older papers are not candidates and are skipped): one array read per candidate afterwards,
 * instead of a lookup by id. Returns the positions marked, for `clearSent`.
 */
export function markSent(index: RankIndex, paperIds: Iterable<number> | undefined): number[] {
  const state = internals(index);
  const marked: number[] = [];
  if (!paperIds) return marked;
  const { sent } = state.scratch;
  for (const id of paperIds) {
    const position = state.positionOf(id);
    if (position !== undefined && sent[position] === 0) {
      sent[position] = 1;
      marked.push(position);
    }
  }
  return marked;
}

export function clearSent(index: RankIndex, marked: readonly number[]): void {
  const { sent } = internals(index).scratch;
  for (const position of marked) sent[position] = 0;
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
/** The score from which a paper is on topic (see rank-papers.ts): a title mention, a phrase, several mentions. */
export const ON_TOPIC_SCORE = 1.2;
/** A keyword's expansion looks at its best few clear matches... */
const EXPANSION_SEEDS = 5;
/** ...and adds up to this much (a paper identical to their centroid) to a paper the keyword touches. */
const EXPANSION_WEIGHT = 1;
/** A keyword learns a neighbourhood ("related" papers) from this many clear matches on. */
const MIN_RELATED_SEEDS = 3;
/**
 * A related paper's mean similarity to the keyword's clear matches is at least this. By chance it
 * is not: a paper's mean similarity to five random papers of a real day (the 583 papers of
 * eval/ranking) is below 0.054 in 95% and below 0.068 in 99% of draws.
 */
const RELATED_SIMILARITY = 0.08;
/** A sentence with a phrase's words near each other (not word for word) counts as this share of a mention. */
const NEAR_WEIGHT = 0.5;
/** "Near" means every word of the phrase within a window this many stems longer than the phrase. */
const NEAR_EXTRA_STEMS = 4;
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

type PhraseReading = 'typed' | 'taxonomy';

interface KeywordEvidence {
  readonly lexical: PhraseMatches;
  /** Selects and orders papers (`keywordMatches`). */
  readonly matches: MatchVector;
  /** Fills a short digest (`relatedPapers`), once asked for. */
  related?: MatchVector;
}

interface PhraseMatches extends MatchVector {
  /** Positions with the phrase word for word, or (typed reading) its words near each other in a sentence. */
  readonly mentioned: Int32Array;
  /** The phrase's stem ids, in order. */
  readonly stems: readonly number[];
}

interface TermVector {
  readonly terms: Int32Array;
  readonly weights: Float64Array;
}

const NO_MATCHES: PhraseMatches = { positions: new Int32Array(0), scores: new Float64Array(0), mentioned: new Int32Array(0), stems: [] };

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
  /** Per reading, keyed by stems joined with spaces. */
  private readonly phraseMemo: Record<PhraseReading, Map<string, PhraseMatches>> = { typed: new Map(), taxonomy: new Map() };
  /** A phrase as typed → its stem key: analysis skipped for every repeat of the same text. */
  private readonly phraseKeys = new Map<string, string>();
  /** A keyword as typed → its vectors; keywords with the same stems share them (through `evidenceMemo`). */
  private readonly keywordMemo = new Map<string, KeywordEvidence>();
  private readonly evidenceMemo = new Map<PhraseMatches, KeywordEvidence>();
  private readonly termVectors: (TermVector | undefined)[];
  /** Term vectors of clicked papers that are not in the index, by paper id. */
  private readonly clickedMemo = new Map<number, TermVector>();
  private positions: Map<number, number> | undefined;
  /** Paper id → position as an array over the candidates' id range, when that range is compact (null: it is not). */
  private denseIds: { first: number; positions: Int32Array } | null | undefined;
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
      sent: new Uint8Array(papers.length),
      score,
      relevance: new Float64Array(papers.length),
      ids,
      trending: Float64Array.from(papers, (paper) => clamp01(paper.trending)),
      best: new BestCandidates(score, ids),
      holding: new Int32Array(papers.length),
      centroid: new Float64Array(this.vocabulary.size),
      profile: new Float64Array(this.vocabulary.size),
    };
  }

  writeProfile(liked: readonly Paper[], disliked: readonly Paper[]): number[] | null {
    const { profile } = this.scratch;
    const terms: number[] = [];
    const add = (papers: readonly Paper[], sign: number) => {
      for (const paper of papers) {
        const vector = this.clickedVector(paper);
        for (let k = 0; k < vector.terms.length; k++) {
          const term = vector.terms[k]!;
          if (profile[term] === 0) terms.push(term);
          profile[term]! += (sign * vector.weights[k]!) / papers.length;
        }
      }
    };
    add(liked, 1);
    add(disliked, -1);
    return terms.length > 0 ? terms : null;
  }

  dotWithScratch(position: number, dense: Float64Array): number {
    return this.dot(position, dense);
  }

  /** A clicked paper's term vector: its own when it is in the index, else built from its text on this index's terms. */
  private clickedVector(paper: Paper): TermVector {
    const position = this.positionOf(paper.id);
    if (position !== undefined) return this.termVector(position);
    let vector = this.clickedMemo.get(paper.id);
    if (!vector) {
      const counts = new Map<number, number>();
      const count = (sentences: readonly (readonly string[])[], weight: number) => {
        for (const sentence of sentences) {
          for (const stem of sentence) {
            const id = this.vocabulary.get(stem);
            if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + weight);
          }
        }
      };
      count(analyzeText(paper.title), SIMILARITY_TITLE_WEIGHT);
      count(analyzeText(paper.abstract), 1);
      vector = this.weighTerms(counts);
      this.clickedMemo.set(paper.id, vector);
    }
    return vector;
  }

  positionOf(paperId: number): number | undefined {
    const dense = (this.denseIds ??= denseIdIndex(this.papers));
    if (dense) {
      const position = dense.positions[paperId - dense.first];
      return position === undefined || position < 0 ? undefined : position;
    }
    if (!this.positions) this.positions = new Map(this.papers.map((paper, position) => [paper.id, position]));
    return this.positions.get(paperId);
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

  /**
   * A phrase's evidence. A `typed` phrase (a subscriber's keyword) also counts its words near each
   * other in a sentence, as people type "activation steering" for "steering ... activations"; a
   * `taxonomy` phrase is the field's own term and counts word for word only.
   */
  phraseMatches(phrase: string, reading: PhraseReading): PhraseMatches {
    let key = this.phraseKeys.get(phrase);
    if (key === undefined) {
      key = analyzePhrase(phrase).join(' ');
      this.phraseKeys.set(phrase, key);
    }
    const memo = this.phraseMemo[reading];
    let matches = memo.get(key);
    if (!matches) {
      matches = key === '' ? NO_MATCHES : this.scorePhrase(key.split(' '), reading === 'typed');
      memo.set(key, matches);
    }
    return matches;
  }

  /**
   * A keyword's evidence: its phrase evidence, plus, for the papers that evidence touches, their
   * likeness to the keyword's clearest matches (pseudo-relevance feedback): the field's vocabulary
   * around "activation steering" (refusal, representation engineering, steering vectors) lifts a
   * paper that says "steering" and "activations" apart, while a paper the keyword does not touch
   * gains nothing.
   */
  keywordEvidence(keyword: string): KeywordEvidence {
    let evidence = this.keywordMemo.get(keyword);
    if (!evidence) {
      const lexical = this.phraseMatches(keyword, 'typed');
      evidence = this.evidenceMemo.get(lexical);
      if (!evidence) {
        evidence = { lexical, matches: this.expand(lexical) };
        this.evidenceMemo.set(lexical, evidence);
      }
      this.keywordMemo.set(keyword, evidence);
    }
    return evidence;
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
    return this.phraseMemo.typed.size + this.phraseMemo.taxonomy.size;
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

  private scorePhrase(stems: readonly string[], countNear: boolean): PhraseMatches {
    const ids: number[] = [];
    for (const stem of stems) {
      const id = this.vocabulary.get(stem);
      if (id === undefined) return NO_MATCHES;
      ids.push(id);
    }
    const candidates = this.papersWithAll(ids);
    const near = countNear && ids.length > 1;
    const exactMentions = new Float64Array(candidates.length);
    const mentions = new Float64Array(candidates.length);
    const mentioned: number[] = [];
    for (let k = 0; k < candidates.length; k++) {
      exactMentions[k] = this.weightedMentions(candidates[k]!, ids);
      // A phrase's words close together in one sentence ("steering the model's activations") are half a mention.
      mentions[k] = near ? exactMentions[k]! + NEAR_WEIGHT * this.weightedNearMentions(candidates[k]!, ids) : exactMentions[k]!;
      if (mentions[k]! > 0) mentioned.push(candidates[k]!);
    }
    const specificity = this.specificity(mentioned.length) * (ids.length > 1 ? MULTI_WORD_BONUS : 1);
    const stemSpecificity = ids.map((id) => this.specificity(this.postings[id]!.length));
    const positions: number[] = [];
    const scores: number[] = [];
    for (let k = 0; k < candidates.length; k++) {
      const position = candidates[k]!;
      let score = saturate(mentions[k]!) * specificity;
      if (exactMentions[k] === 0) {
        // Every word is there (candidates hold all stems), not word for word: credit the weakest word too.
        let weakest = Infinity;
        for (let i = 0; i < ids.length; i++) {
          weakest = Math.min(weakest, saturate(this.weightedMentions(position, [ids[i]!])) * stemSpecificity[i]!);
        }
        score += SCATTERED_WEIGHT * weakest;
      }
      if (score > 0) {
        positions.push(position);
        scores.push(score);
      }
    }
    return { positions: Int32Array.from(positions), scores: Float64Array.from(scores), mentioned: Int32Array.from(mentioned), stems: ids };
  }

  /** A keyword's clearest matches, best first: the papers whose vocabulary its expansion learns from. */
  private seeds({ positions, scores }: PhraseMatches): number[] {
    return [...positions.keys()]
      .filter((k) => scores[k]! >= ON_TOPIC_SCORE)
      .sort((a, b) => scores[b]! - scores[a]! || positions[a]! - positions[b]!)
      .slice(0, EXPANSION_SEEDS)
      .map((k) => positions[k]!);
  }

  findRelated(lexical: PhraseMatches): MatchVector {
    const seeds = this.seeds(lexical);
    if (lexical.stems.length < 2 || seeds.length < MIN_RELATED_SEEDS) return NO_MATCHES;
    // Words in a third of the papers ("learning", "model") say nothing about what a paper is about.
    const telling = [...new Set(lexical.stems)].filter((id) => this.specificity(this.postings[id]!.length) >= 1);
    const needed = Math.ceil(telling.length / 2);
    const holding = this.scratch.holding;
    const touched: number[] = [];
    for (const id of telling) {
      for (const position of this.postings[id]!) {
        if (holding[position] === 0) touched.push(position);
        holding[position]!++;
      }
    }
    for (let k = 0; k < lexical.positions.length; k++) {
      // Already selected by the keyword: not "related".
      if (lexical.scores[k]! >= ON_TOPIC_SCORE) holding[lexical.positions[k]!] = 0;
    }
    touched.sort((a, b) => a - b);
    const mean = this.scratch.centroid;
    const terms = this.addCentroid(seeds, mean, 'mean');
    const positions: number[] = [];
    const scores: number[] = [];
    for (const position of touched) {
      const count = holding[position]!;
      holding[position] = 0;
      if (count < needed) continue;
      // The paper's mean similarity to the seeds, in one pass.
      const likeness = this.dot(position, mean);
      if (likeness >= RELATED_SIMILARITY) {
        positions.push(position);
        scores.push(likeness);
      }
    }
    for (const term of terms) mean[term] = 0;
    return { positions: Int32Array.from(positions), scores: Float64Array.from(scores) };
  }

  private expand(lexical: PhraseMatches): MatchVector {
    const { positions, scores } = lexical;
    // One word has no "apart" to rescue: a lone mention of "pruning" stays a lone mention.
    if (lexical.stems.length < 2) return lexical;
    const seeds = this.seeds(lexical);
    if (seeds.length === 0) return lexical;
    const centroid = this.scratch.centroid;
    const terms = this.addCentroid(seeds, centroid, 'unit');
    const expanded = new Float64Array(scores.length);
    for (let k = 0; k < scores.length; k++) expanded[k] = scores[k]! + EXPANSION_WEIGHT * this.dot(positions[k]!, centroid);
    for (const term of terms) centroid[term] = 0;
    return { positions, scores: expanded };
  }

  /** Dot product of a paper's term vector with a dense vector over stem ids. */
  private dot(position: number, dense: Float64Array): number {
    const { terms, weights } = this.termVector(position);
    let total = 0;
    for (let t = 0; t < terms.length; t++) total += weights[t]! * dense[terms[t]!]!;
    return total;
  }

  /**
   * Writes the sum of some papers' term vectors into `dense` (all zero before), scaled to unit
   * length (`unit`, a centroid for cosines) or divided by their count (a mean: its dot product with
   * a paper is the paper's mean similarity to them); returns the terms written.
   */
  private addCentroid(members: readonly number[], dense: Float64Array, scale: 'unit' | 'mean'): number[] {
    const terms: number[] = [];
    for (const position of members) {
      const vector = this.termVector(position);
      for (let k = 0; k < vector.terms.length; k++) {
        const term = vector.terms[k]!;
        if (dense[term] === 0) terms.push(term);
        dense[term]! += vector.weights[k]!;
      }
    }
    let norm = members.length;
    if (scale === 'unit') {
      norm = 0;
      for (const term of terms) norm += dense[term]! * dense[term]!;
      norm = Math.sqrt(norm) || 1;
    }
    for (const term of terms) dense[term] = dense[term]! / norm;
    return terms;
  }

  private scoreTopic(topic: Topic): TopicMatches {
    const perPaper = new Map<number, number[]>();
    const seen = new Set<PhraseMatches>();
    for (const phrase of topic.phrases) {
      const matches = this.phraseMatches(phrase, 'taxonomy');
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
    let result = Array.from(lists[0]!);
    for (const list of lists.slice(1)) {
      // Both ascending: one merge pass.
      const kept: number[] = [];
      let j = 0;
      for (const position of result) {
        while (j < list.length && list[j]! < position) j++;
        if (j < list.length && list[j] === position) kept.push(position);
      }
      result = kept;
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

  /** Field-weighted count of the sentences holding every stem of a phrase within a short window, but not word for word. */
  private weightedNearMentions(position: number, ids: readonly number[]): number {
    const { fields, weights } = this.analyzed[position]!;
    let total = 0;
    fields.forEach((field, f) => {
      const count = countNearSentences(field, ids, ids.length + NEAR_EXTRA_STEMS);
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
      vector = this.weighTerms(counts);
      this.termVectors[position] = vector;
    }
    return vector;
  }

  /** Log-scaled counts × IDF over this index's papers, unit length. */
  private weighTerms(counts: ReadonlyMap<number, number>): TermVector {
    const terms = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const n = this.papers.length;
    const weights = Float64Array.from(terms, (id) => (1 + Math.log(counts.get(id)!)) * Math.log((n + 1) / this.postings[id]!.length));
    const norm = Math.sqrt(weights.reduce((sum, weight) => sum + weight * weight, 0)) || 1;
    for (let k = 0; k < weights.length; k++) weights[k] = weights[k]! / norm;
    return { terms, weights };
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

/** Candidates are the papers of the last few days: their ids are nearly consecutive. A lookup array then, else null. */
function denseIdIndex(papers: readonly Paper[]): { first: number; positions: Int32Array } | null {
  if (papers.length === 0) return null;
  let first = Infinity;
  let last = -Infinity;
  for (const paper of papers) {
    first = Math.min(first, paper.id);
    last = Math.max(last, paper.id);
  }
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || last - first >= 4 * papers.length + 1024) return null;
  const positions = new Int32Array(last - first + 1).fill(-1);
  papers.forEach((paper, position) => (positions[paper.id - first] = position));
  return { first, positions };
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

/**
 * Sentences of a field (BREAK-separated) that hold every stem of `ids` within `window` consecutive
 * stems, and do not hold them word for word (those count as occurrences).
 */
function countNearSentences(field: Int32Array, ids: readonly number[], window: number): number {
  let count = 0;
  let start = 0;
  while (start < field.length) {
    let end = field.indexOf(BREAK, start);
    if (end === -1) end = field.length;
    if (hasNearMention(field, start, end, ids, window)) count++;
    start = end + 1;
  }
  return count;
}

/** Whether field[start, end) holds every stem of `ids` within `window` stems, and not word for word. */
function hasNearMention(field: Int32Array, start: number, end: number, ids: readonly number[], window: number): boolean {
  let all = 0;
  for (let i = 0; i < ids.length; i++) all |= 1 << ids.indexOf(ids[i]!);
  let found = false;
  for (let from = start; from < end && !found; from++) {
    if (!ids.includes(field[from]!)) continue;
    let seen = 0;
    for (let at = from; at < Math.min(end, from + window); at++) {
      const k = ids.indexOf(field[at]!);
      if (k !== -1) seen |= 1 << k;
    }
    found = seen === all;
  }
  return found && countOccurrences(field.subarray(start, end), ids) === 0;
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
