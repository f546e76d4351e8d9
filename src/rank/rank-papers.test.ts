import { describe, expect, it } from 'vitest';
import type { Paper, Topic } from '../domain.js';
import { keywordMatches, paperSimilarity, topicMatches } from './build-rank-index.js';
import { MIN_RELEVANCE, buildRankIndex, describeRankIndex, rankPapers, type RankIndex } from './rank-papers.js';
import { interests, makePaper } from './testdata/make-paper.js';

// Small papers written for these tests, after real ones: enough text to rank, nothing more.
const mamba = makePaper({
  id: 1,
  title: 'Mamba: Linear-Time Sequence Modeling with Selective State Spaces',
  abstract:
    'Foundation models are almost universally based on the Transformer architecture and its attention module. ' +
    'We let the parameters of a state space model be functions of the input, and design a hardware-aware parallel algorithm. ' +
    'Mamba enjoys fast inference and linear scaling in sequence length.',
  categories: ['cs.LG'],
  trending: 0.4,
});
const switchTransformer = makePaper({
  id: 2,
  title: 'Switch Transformers: Scaling to Trillion Parameter Models with Simple and Efficient Sparsity',
  abstract:
    'In deep learning, models typically reuse the same parameters for all inputs. ' +
    'Mixture of Experts (MoE) models defy this and instead select different parameters for each incoming example.',
  categories: ['cs.LG'],
  trending: 0.3,
});
const refusal = makePaper({
  id: 3,
  title: 'Programming Refusal with Conditional Activation Steering',
  abstract:
    'LLMs have shown remarkable capabilities, but precisely controlling their response behavior remains challenging. ' +
    'Existing activation steering methods alter LLM behavior indiscriminately.',
  categories: ['cs.CL'],
  trending: 0.1,
});
const robotSteering = makePaper({
  id: 4,
  title: 'Steering Wheeled Robots Through Crowds',
  abstract: 'A controller reads neural activations of a pedestrian predictor to choose where a wheeled platform goes.',
  categories: ['cs.RO'],
  trending: 0.9,
});
const maskedAutoencoders = makePaper({
  id: 5,
  title: 'Masked Autoencoders Are Scalable Vision Learners',
  abstract:
    'Masked autoencoders are scalable self-supervised learners for computer vision. ' +
    'A conditional decoder reconstructs the missing patches of the input image.',
  categories: ['cs.CV'],
  trending: 0.8,
});
const exoplanets = makePaper({
  id: 6,
  title: 'A Catalogue of Exoplanet Transits from Five Years of TESS',
  abstract: 'We report 3,000 transit candidates around nearby stars and release light curves for each of them.',
  categories: ['astro-ph.EP'],
  trending: 1,
});
const behaveGpt = makePaper({
  id: 7,
  title: 'BehaveGPT: A Foundation Model for Large-scale User Behavior Modeling',
  abstract:
    'In recent years, foundational models have revolutionized the fields of language and vision. ' +
    'We propose BehaveGPT, a foundational model designed specifically for large-scale user behavior prediction.',
  categories: ['cs.IR'],
  trending: 1,
});
const FIXTURES: readonly Paper[] = [mamba, switchTransformer, refusal, robotSteering, maskedAutoencoders, exoplanets, behaveGpt];

function ids(ranked: readonly { paper: Paper }[]): number[] {
  return ranked.map((entry) => entry.paper.id);
}

function rank(papers: readonly Paper[], wanted: Parameters<typeof interests>[0], size = 10, exclude?: ReadonlySet<number>) {
  return rankPapers(buildRankIndex(papers), interests(wanted), { size, exclude });
}

describe('rankPapers', () => {
  it('matches a keyword to other forms of the word through the stemmer ("steer" finds "Steering")', () => {
    const ranked = rank([refusal, exoplanets], { keywords: ['steer'] });
    expect(ids(ranked)).toEqual([3]);
    expect(ranked[0]!.reasons).toEqual(['steer']);
  });

  it('selects a phrase said word for word, and not the same words scattered, however trending', () => {
    expect(ids(rank(FIXTURES, { keywords: ['activation steering'] }))).toEqual([3]);
  });

  it('ranks a title mention above two abstract mentions', () => {
    const inTitle = makePaper({ id: 10, title: 'Mamba for Genomic Sequences', abstract: 'We adapt a selective sequence model to DNA.' });
    const inAbstract = makePaper({ id: 11, title: 'Long Sequence Models Compared', abstract: 'We compare Mamba with transformers. Mamba wins on long inputs.' });
    const ranked = rank([inAbstract, inTitle], { keywords: ['mamba'] });
    expect(ids(ranked)).toEqual([10, 11]);
    expect(ranked[0]!.relevance).toBeGreaterThan(ranked[1]!.relevance);
  });

  it('does not select a paper for one stray word in its abstract', () => {
    const conditionalTitle = makePaper({ id: 12, title: 'Conditional Image Generation with PixelCNN Decoders', abstract: 'We explore image generation.' });
    expect(ids(rank([maskedAutoencoders, conditionalTitle], { keywords: ['conditional'] }))).toEqual([12]);
  });

  it('selects a paper for several distinct phrases of a topic, each too weak alone', () => {
    const compression = makePaper({
      id: 13,
      title: 'Smaller Models for Phones',
      abstract: 'We combine pruning with quantization to fit a language model into memory.',
    });
    expect(ids(rank([compression], { topics: ['efficient-architectures'] }))).toEqual([13]);
    expect(rank([compression], { keywords: ['pruning'] })).toEqual([]);
  });

  it.each([
    ['vision', [1, 2]],
    ['sparsity', [1, 8]],
    ['state space models', [2, 8]],
  ])('removes every paper that mentions the excluded keyword %j, stemmed', (excluded, expected) => {
    const visionMamba = makePaper({ id: 8, title: 'Vision Mamba: Efficient Visual Representation Learning', abstract: 'Mamba for images.' });
    const ranked = rank([mamba, switchTransformer, visionMamba], { topics: ['efficient-architectures'], excluded: [excluded] });
    expect(ids(ranked).sort()).toEqual(expected);
  });

  it('never returns a paper the subscriber was already sent', () => {
    expect(ids(rank(FIXTURES, { topics: ['efficient-architectures'] }, 10, new Set([1])))).toEqual([2]);
  });

  it('never admits a popular paper that matches nothing, even when the digest has room', () => {
    const ranked = rank(FIXTURES, { topics: ['efficient-architectures', 'llm-alignment'] }, 50);
    expect(ids(ranked)).not.toContain(exoplanets.id);
    expect(ids(ranked).sort()).toEqual([1, 2, 3]);
    for (const entry of ranked) expect(entry.relevance).toBeGreaterThanOrEqual(MIN_RELEVANCE);
  });

  it('lets trending reorder papers of equal relevance and blends it into the score', () => {
    const quiet = makePaper({ id: 20, title: 'Mamba Everywhere', trending: 0 });
    const popular = makePaper({ id: 21, title: 'Mamba Anywhere', trending: 1 });
    const ranked = rank([quiet, popular], { keywords: ['mamba'] });
    expect(ids(ranked)).toEqual([21, 20]);
    expect(ranked[0]!.relevance).toBe(ranked[1]!.relevance);
    expect(ranked[0]!.trending).toBe(1);
    expect(ranked[0]!.score).toBeCloseTo(ranked[0]!.relevance * 1.3);
    expect(ranked[1]!.score).toBe(ranked[1]!.relevance);
  });

  it('cuts the result to the digest size, keeping the best', () => {
    const papers = [1, 2, 3, 4, 5].map((id) => makePaper({ id, title: `Mamba Variant ${'XYZUV'[id - 1]}`, trending: id / 10 }));
    expect(ids(rank(papers, { keywords: ['mamba'] }, 2))).toEqual([5, 4]);
  });

  it('names the matched topic labels and the keywords as typed, strongest first', () => {
    const ranked = rank(FIXTURES, { topics: ['llm-alignment', 'efficient-architectures'], keywords: ['Mamba', 'RLHF'] });
    const byId = new Map(ranked.map((entry) => [entry.paper.id, entry.reasons]));
    expect(byId.get(1)).toEqual(['Efficient architectures', 'Mamba']);
    expect(byId.get(3)).toEqual(['Alignment & steering of LLMs']);
  });

  it.each([
    ['no interests', interests({}), 10],
    ['only an unknown topic', interests({ topics: ['quantum-gravity'] }), 10],
    ['only blank keywords', interests({ keywords: ['  ', 'the'] }), 10],
    ['no matching paper', interests({ keywords: ['protein folding'] }), 10],
    ['a digest size of zero', interests({ topics: ['efficient-architectures'] }), 0],
  ])('returns nothing for %s', (_, wanted, size) => {
    expect(rankPapers(buildRankIndex(FIXTURES), wanted, { size })).toEqual([]);
  });

  it('gives the same order for the same papers in any order, ties broken by paper id', () => {
    const twinA = makePaper({ id: 31, title: 'Mixture of Experts at Scale' });
    const twinB = makePaper({ id: 30, title: 'Mixture of Experts at Scale' });
    const papers = [...FIXTURES, twinA, twinB];
    const wanted = { topics: ['efficient-architectures', 'llm-alignment'], keywords: ['mixture of experts'] };
    const forward = rank(papers, wanted);
    const backward = rank([...papers].reverse(), wanted);
    expect(ids(backward)).toEqual(ids(forward));
    expect(ids(forward).indexOf(30)).toBe(ids(forward).indexOf(31) - 1);
  });

  it('keeps near-duplicates of one idea from filling the digest', () => {
    const sameIdea = 'We replace attention with a selective state space model and match transformers on language modeling at half the cost.';
    const duplicates = [41, 42, 43].map((id) => makePaper({ id, title: `Mamba Language Models, Take ${id}`, abstract: sameIdea, trending: 1 }));
    const distinct = makePaper({
      id: 44,
      title: 'Mamba for Weather Radar Nowcasting',
      abstract: 'Radar echoes over Europe are forecast an hour ahead by a recurrent scan over image patches.',
      trending: 0.6,
    });
    const ranked = rank([...duplicates, distinct], { keywords: ['mamba'] }, 2);
    expect(ids(ranked)).toEqual([41, 44]);
  });

  it('uses a topic’s arXiv categories only to order papers its phrases already selected', () => {
    const filed = makePaper({ id: 51, title: 'Humanoid Locomotion over Stairs', categories: ['cs.RO'] });
    const unfiled = makePaper({ id: 50, title: 'Humanoid Locomotion over Sand', categories: ['cs.LG'] });
    const onlyFiled = makePaper({ id: 52, title: 'A Survey of Control Theory', abstract: 'Feedback loops everywhere.', categories: ['cs.RO'] });
    const ranked = rank([unfiled, filed, onlyFiled], { topics: ['robotics-embodied'] });
    expect(ids(ranked)).toEqual([51, 50]);
    expect(ranked[0]!.relevance).toBeGreaterThan(ranked[1]!.relevance);
  });

  it('counts Hugging Face keywords as evidence and the AI summary as weaker evidence', () => {
    const text = { title: 'Sequence Models at Scale', abstract: 'We compare Mamba with attention on long documents.' };
    const withKeywords = makePaper({ id: 60, ...text, keywords: ['Mamba', 'long context'] });
    const withSummary = makePaper({ id: 61, ...text, aiSummary: 'Mamba and attention compared.' });
    const bare = makePaper({ id: 62, ...text });
    const ranked = rank([bare, withSummary, withKeywords], { keywords: ['mamba'] });
    expect(ids(ranked)).toEqual([60, 61]);
    expect(ranked[0]!.relevance).toBeGreaterThan(ranked[1]!.relevance);
  });

  it('does not take user-behaviour modelling for robotics', () => {
    expect(rank(FIXTURES, { topics: ['robotics-embodied'] }).map((entry) => entry.paper.id)).not.toContain(behaveGpt.id);
    expect(ids(rank(FIXTURES, { topics: ['recommender-systems'] }))).toEqual([behaveGpt.id]);
  });
});

describe('buildRankIndex', () => {
  function manySubscribers(index: RankIndex, count: number): void {
    const topics = ['efficient-architectures', 'llm-alignment', 'robotics-embodied'];
    const keywords = ['Mamba', 'RLHF', 'activation steering', 'mamba '];
    for (let n = 0; n < count; n++) {
      rankPapers(index, interests({ topics: [topics[n % 3]!], keywords: [keywords[n % 4]!], excluded: n % 5 === 0 ? ['vision'] : [] }), { size: 3 });
    }
  }

  it('shares one score vector per topic across all the subscribers of a run', () => {
    const index = buildRankIndex(FIXTURES);
    const first = topicMatches(index, 'efficient-architectures');
    manySubscribers(index, 300);
    expect(topicMatches(index, 'efficient-architectures')).toBe(first);
    expect(topicMatches(index, 'no-such-topic')).toBeUndefined();
  });

  it('shares one vector between keywords with the same stems', () => {
    const index = buildRankIndex(FIXTURES);
    expect(keywordMatches(index, ' RLHF ')).toBe(keywordMatches(index, 'rlhf'));
    expect(keywordMatches(index, 'State-Space Models')).toBe(keywordMatches(index, 'state space model'));
  });

  it('scores each topic and phrase once, however many subscribers rank', () => {
    const index = buildRankIndex(FIXTURES);
    manySubscribers(index, 12);
    const afterFirstRound = describeRankIndex(index);
    manySubscribers(index, 1_000);
    expect(describeRankIndex(index)).toEqual(afterFirstRound);
    expect(afterFirstRound).toMatchObject({ papers: FIXTURES.length, topicsScored: 3 });
  });

  it('measures paper similarity symmetrically, higher within one idea, each pair once', () => {
    const index = buildRankIndex(FIXTURES);
    const twinOfMamba = buildRankIndex([...FIXTURES, makePaper({ id: 99, title: mamba.title, abstract: mamba.abstract })]);
    expect(paperSimilarity(index, 0, 0)).toBe(1);
    expect(paperSimilarity(index, 0, 1)).toBe(paperSimilarity(index, 1, 0));
    expect(paperSimilarity(twinOfMamba, 0, FIXTURES.length)).toBeCloseTo(1);
    expect(paperSimilarity(index, 0, 1)).toBeGreaterThan(paperSimilarity(index, 0, 5));
    expect(describeRankIndex(index).similaritiesComputed).toBe(2);
  });

  it('ranks with the taxonomy it is given', () => {
    const custom: Topic[] = [{ slug: 'ssm', label: 'State space models', description: 'SSMs.', phrases: ['state space model', 'mamba'], categories: [] }];
    const index = buildRankIndex(FIXTURES, custom);
    const ranked = rankPapers(index, interests({ topics: ['ssm', 'efficient-architectures'] }), { size: 5 });
    expect(ids(ranked)).toEqual([1]);
    expect(ranked[0]!.reasons).toEqual(['State space models']);
  });

  it('refuses an index it did not build', () => {
    expect(() => rankPapers({ papers: FIXTURES }, interests({ keywords: ['mamba'] }), { size: 3 })).toThrow(TypeError);
  });
});
