/**
 * Chooses one subscriber's papers from a run's index. Everything paper-sized is precomputed and
 * shared in the index (`build-rank-index.ts`); per subscriber this only adds up a few sparse score
 * vectors, keeps the best few candidates, and spreads the digest over distinct ideas.
 *
 * relevance = best interest item's score + half of the others' (a soft maximum over the
 * subscriber's topics and keywords). A paper is on topic only when relevance >= 1.2: a title mention,
 * a phrase of several words, or several distinct mentions, never one stray word in an abstract
 * (worth at most 1) nor scattered words (at most 0.55 each).
 * score = relevance × (1 + 0.3 × trending): trending reorders relevant papers, it never admits one.
 * When the on-topic papers leave the digest short, papers "related to" one of the subscriber's
 * keywords (like its clear matches, see `relatedPapers`) fill it, after every on-topic paper.
 * Excluded keywords remove every paper that mentions them (word for word, or the words of a phrase
 * close together in a sentence), from both tiers.
 */
import type { Interests, Paper, RankedPaper } from '../domain.js';
import {
  clearSent,
  feedbackLikeness,
  keywordMatches,
  keywordOccurrences,
  markSent,
  ON_TOPIC_SCORE,
  paperSimilarity,
  rankScratch,
  relatedPapers,
  releaseFeedbackProfile,
  topicMatches,
  writeFeedbackProfile,
  type MatchVector,
  type RankIndex,
} from './build-rank-index.js';
import { ranksBefore } from './best-candidates.js';

export { buildRankIndex, describeRankIndex, type RankIndex, type RankIndexStats } from './build-rank-index.js';

export interface RankOptions {
  /** Max papers returned (the subscriber's digest size). */
  size: number;
  /** Paper ids this subscriber was already sent (never returned). */
  exclude?: Iterable<number>;
  /** Papers the reader asked for more / fewer of ("more like this" / "less like this" in a digest). */
  feedback?: { liked: readonly Paper[]; disliked: readonly Paper[] };
}

/**
 * Feedback reorders on-topic papers and never admits one: a paper's score is multiplied by
 * 1 + FEEDBACK_WEIGHT × its likeness to the reader's profile (liked minus disliked, Rocchio-style),
 * bounded to [FEEDBACK_MIN, FEEDBACK_MAX] so that one click cannot take a digest over.
 * Papers on one idea have a likeness of about 0.2-0.4; unrelated ones about 0.02.
 */
const FEEDBACK_WEIGHT = 2;
const FEEDBACK_MIN = 0.5;
const FEEDBACK_MAX = 1.5;
/** From this multiplier on, "like papers you asked more of" is named among the reasons. */
const FEEDBACK_REASON_FROM = 1.2;
export const FEEDBACK_REASON = 'like papers you asked more of';

/** Below this a paper is off topic, whatever its trending signal. */
export const MIN_RELEVANCE = ON_TOPIC_SCORE;
const OTHER_ITEMS_WEIGHT = 0.5;
const TRENDING_WEIGHT = 0.3;
/** Diversity looks at this many candidates per digest slot. */
const CANDIDATES_PER_SLOT = 3;
/**
 * Papers less similar than this are distinct ideas; at SAME_IDEA_SIMILARITY and above, one idea.
 * Measured on real days: half of all pairs are below 0.04, 99% below 0.14; two surveys of
 * transformers in RL are at 0.22, two papers on in-context RL by supervised pretraining at 0.30.
 */
const DISTINCT_SIMILARITY = 0.15;
const SAME_IDEA_SIMILARITY = 0.45;
/** A paper on the same idea as one already chosen competes with this share of its score taken off. */
const REDUNDANCY_PENALTY = 0.5;
/** An interest item is named as a reason from this score on (about half a mention). */
const REASON_MIN_SCORE = 0.5;
/** A related paper's relevance stays under the bar. */
const RELATED_MAX_RELEVANCE = MIN_RELEVANCE - 0.01;
/** "Matches: a · b · c" stays one short line. */
const MAX_REASONS = 3;

const NOTHING_BLOCKED: readonly Int32Array[] = [];

export function rankPapers(index: RankIndex, interests: Interests, options: RankOptions): RankedPaper[] {
  const size = Math.floor(options.size);
  if (!(size > 0)) return [];
  const items = interestItems(index, interests);
  if (items.length === 0) return [];
  const { blocked } = rankScratch(index);
  const blocking = interests.excluded.length === 0 ? NOTHING_BLOCKED : interests.excluded.map((keyword) => keywordOccurrences(index, keyword));
  for (const positions of blocking) for (const position of positions) blocked[position] = 1;
  const sentMarks = markSent(index, options.exclude);
  const feedback = options.feedback;
  const profileTerms = feedback && (feedback.liked.length > 0 || feedback.disliked.length > 0) ? writeFeedbackProfile(index, feedback.liked, feedback.disliked) : null;
  let taken: number[];
  let related: RelatedCandidate[];
  try {
    taken = diversify(index, bestCandidates(index, items, size * CANDIDATES_PER_SLOT, profileTerms !== null), size);
    related = taken.length < size ? relatedCandidates(index, items, taken, size - taken.length) : [];
  } finally {
    for (const positions of blocking) for (const position of positions) blocked[position] = 0;
    clearSent(index, sentMarks);
    if (profileTerms) releaseFeedbackProfile(index, profileTerms);
  }
  // The papers taken, best first (their score and relevance are still in the scratch arrays), then the related ones.
  const { score, relevance, trending, ids } = rankScratch(index);
  taken.sort((a, b) => (ranksBefore(score[a]!, ids[a]!, score[b]!, ids[b]!) ? -1 : 1));
  const digest: RankedPaper[] = [];
  for (const position of taken) {
    const boost = profileTerms === null ? 1 : score[position]! / (relevance[position]! * (1 + TRENDING_WEIGHT * trending[position]!));
    const reasons = reasonsFor(position, items);
    digest.push({
      paper: index.papers[position]!,
      score: score[position]!,
      relevance: relevance[position]!,
      trending: trending[position]!,
      reasons: boost >= FEEDBACK_REASON_FROM ? [...reasons.slice(0, MAX_REASONS - 1), FEEDBACK_REASON] : reasons,
    });
  }
  for (const candidate of related) {
    digest.push({
      paper: candidate.paper,
      score: candidate.score,
      relevance: candidate.relevance,
      trending: trending[candidate.position]!,
      reasons: [`related to ${candidate.related}`],
    });
  }
  return digest;
}

/** One topic or keyword of a subscriber, with the name it is given as a reason. */
interface InterestItem {
  reason: string;
  matches: MatchVector;
  /** The keyword as typed, for a keyword: its related papers can fill a short digest. */
  keyword: string | null;
}

/** A paper that only resembles the clear matches of one of the subscriber's keywords (see `relatedCandidates`). */
interface RelatedCandidate {
  position: number;
  paper: Paper;
  relevance: number;
  score: number;
  /** The keyword it is related to, as the subscriber typed it. */
  related: string;
}

function interestItems(index: RankIndex, interests: Interests): InterestItem[] {
  const items: InterestItem[] = [];
  for (const slug of interests.topics) {
    const matches = topicMatches(index, slug);
    addItem(items, matches?.topic.label ?? slug, matches, null);
  }
  for (const keyword of interests.keywords) addItem(items, keyword.trim(), keywordMatches(index, keyword), keyword);
  return items;
}

/** Adds an item unless it matches nothing or another item has the same matches (a topic typed as a keyword too). */
function addItem(items: InterestItem[], reason: string, matches: MatchVector | undefined, keyword: string | null): void {
  if (!matches || matches.positions.length === 0) return;
  for (const item of items) if (item.matches === matches) return;
  items.push({ reason, matches, keyword });
}

/**
 * The second tier, for a digest its interests' matches leave short: papers that resemble the clear
 * matches of one of the subscriber's keywords, after every on-topic paper, never an excluded or sent
 * one. Their relevance (likeness plus the keyword's evidence, under the bar by construction) is kept
 * below MIN_RELEVANCE, so a related paper never reads as on topic.
 */
function relatedCandidates(
  index: RankIndex,
  items: readonly InterestItem[],
  chosen: readonly number[],
  room: number,
): RelatedCandidate[] {
  const best = new Map<number, { relevance: number; reason: string }>();
  for (const { keyword, matches, reason } of items) {
    if (keyword === null) continue;
    const related = relatedPapers(index, keyword);
    related.positions.forEach((position, k) => {
      const relevance = Math.min(RELATED_MAX_RELEVANCE, related.scores[k]! + scoreAt(matches, position));
      if (relevance > (best.get(position)?.relevance ?? 0)) best.set(position, { relevance, reason });
    });
  }
  if (best.size === 0) return [];
  const taken = new Set(chosen);
  const { trending, blocked, sent } = rankScratch(index);
  return [...best]
    .filter(([position]) => !taken.has(position) && blocked[position] === 0 && sent[position] === 0)
    .map(([position, { relevance, reason }]): RelatedCandidate => ({
      position,
      paper: index.papers[position]!,
      relevance,
      score: relevance * (1 + TRENDING_WEIGHT * trending[position]!),
      related: reason,
    }))
    .sort(byScore)
    .slice(0, room);
}

/** The positions of the best `limit` on-topic papers, best first (their score and relevance left in the scratch arrays), papers marked in `blocked` (excluded keywords) or `sent` left out. */
function bestCandidates(
  index: RankIndex,
  items: readonly InterestItem[],
  limit: number,
  withFeedback: boolean,
): number[] {
  const scratch = rankScratch(index);
  const { sum, max, touched, blocked, sent, trending, best } = scratch;
  let touchedCount = 0;
  for (const { matches } of items) {
    const { positions, scores } = matches;
    for (let k = 0; k < positions.length; k++) {
      const position = positions[k]!;
      const score = scores[k]!;
      if (max[position] === 0) touched[touchedCount++] = position;
      sum[position]! += score;
      if (score > max[position]!) max[position] = score;
    }
  }
  best.reset(limit);
  for (let k = 0; k < touchedCount; k++) {
    const position = touched[k]!;
    const relevance = max[position]! + OTHER_ITEMS_WEIGHT * (sum[position]! - max[position]!);
    sum[position] = 0;
    max[position] = 0;
    if (relevance < MIN_RELEVANCE || blocked[position] === 1) continue;
    const boost = withFeedback ? Math.min(FEEDBACK_MAX, Math.max(FEEDBACK_MIN, 1 + FEEDBACK_WEIGHT * feedbackLikeness(index, position))) : 1;
    scratch.score[position] = relevance * (1 + TRENDING_WEIGHT * trending[position]!) * boost;
    if (sent[position] === 1 || !best.admits(position)) continue;
    scratch.relevance[position] = relevance;
    best.offer(position);
  }
  return best.take();
}

/** Per candidate of one `diversify` call: its highest similarity to the papers taken so far, and how many of them that covers. */
let redundancyScratch = new Float64Array(64);
let comparedScratch = new Int32Array(64);

/**
 * Maximal marginal relevance, greedy and lazy: take the candidate whose score, less a penalty for
 * resembling papers already taken, is highest. A penalised score is never above the score, so the
 * scan (best first) stops at the first candidate that cannot win, and each candidate is compared
 * with each chosen paper at most once: about size²/2 memoized similarity look-ups per digest.
 * Works on positions (`ranked` best first, scores in the scratch arrays); returns those taken, in order.
 */
function diversify(index: RankIndex, ranked: number[], size: number): number[] {
  if (ranked.length <= size) return ranked;
  if (redundancyScratch.length < ranked.length) {
    redundancyScratch = new Float64Array(ranked.length);
    comparedScratch = new Int32Array(ranked.length);
  }
  const redundancy = redundancyScratch.fill(0, 0, ranked.length);
  // -1 marks a candidate already taken.
  const compared = comparedScratch.fill(0, 0, ranked.length);
  const { score } = rankScratch(index);
  const chosen: number[] = [];
  while (chosen.length < size) {
    let bestAt = -1;
    let bestValue = -Infinity;
    for (let k = 0; k < ranked.length; k++) {
      if (compared[k] === -1) continue;
      const position = ranked[k]!;
      const candidateScore = score[position]!;
      if (candidateScore <= bestValue) break;
      let highest = redundancy[k]!;
      for (let c = compared[k]!; c < chosen.length; c++) {
        const similarity = paperSimilarity(index, position, chosen[c]!);
        if (similarity > highest) highest = similarity;
      }
      redundancy[k] = highest;
      compared[k] = chosen.length;
      const value = candidateScore * (1 - REDUNDANCY_PENALTY * sameIdea(highest));
      if (value > bestValue) {
        bestAt = k;
        bestValue = value;
      }
    }
    compared[bestAt] = -1;
    chosen.push(ranked[bestAt]!);
  }
  return chosen;
}

/** 0 for distinct ideas, rising to 1 for papers on the same idea. */
function sameIdea(similarity: number): number {
  return Math.min(1, Math.max(0, (similarity - DISTINCT_SIMILARITY) / (SAME_IDEA_SIMILARITY - DISTINCT_SIMILARITY)));
}

/** The names of the items that drove the score, strongest first: the strongest always, at most MAX_REASONS. */
function reasonsFor(position: number, items: readonly InterestItem[]): string[] {
  // One item: an on-topic paper is on topic through it.
  if (items.length === 1) return [items[0]!.reason];
  // The items that score this paper, strongest first (ties in the subscriber's order): a handful, kept sorted as they come.
  const names: string[] = [];
  const scores: number[] = [];
  for (const item of items) {
    const score = scoreAt(item.matches, position);
    if (score <= 0) continue;
    let at = scores.length;
    scores.push(score);
    names.push(item.reason);
    for (; at > 0 && scores[at - 1]! < score; at--) {
      scores[at] = scores[at - 1]!;
      names[at] = names[at - 1]!;
    }
    scores[at] = score;
    names[at] = item.reason;
  }
  const reasons: string[] = [];
  for (let k = 0; k < names.length && reasons.length < MAX_REASONS; k++) {
    if ((reasons.length === 0 || scores[k]! >= REASON_MIN_SCORE) && !reasons.includes(names[k]!)) reasons.push(names[k]!);
  }
  return reasons;
}

function scoreAt({ positions, scores }: MatchVector, position: number): number {
  let low = 0;
  let high = positions.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = positions[middle]!;
    if (found === position) return scores[middle]!;
    if (found < position) low = middle + 1;
    else high = middle - 1;
  }
  return 0;
}

function byScore(a: RelatedCandidate, b: RelatedCandidate): number {
  return ranksBefore(a.score, a.paper.id, b.score, b.paper.id) ? -1 : 1;
}
