import { describe, expect, it } from 'vitest';
import type { Paper, Topic } from '../domain.js';
import { keywordMatches, keywordOccurrences, relatedPapers } from './build-rank-index.js';
import { MIN_RELEVANCE, buildRankIndex, rankPapers } from './rank-papers.js';
import { interests, makePaper } from './testdata/make-paper.js';

// Small papers written for these tests, after real ones: enough text to rank, nothing more.
const steeringAbstracts = [
  'Activation steering adds a vector to the residual stream of a language model at inference. We steer refusal behavior without fine-tuning.',
  'We study activation steering for truthfulness: steering vectors found from contrastive prompts change what the LLM says.',
  'Contrastive activation steering makes an instructed LLM answer in Italian; steering vectors replace costly fine-tuning.',
  'Activation steering of refusal: one direction in the residual stream decides whether the LLM refuses, and steering it removes over-refusals.',
];
const clearMatches = steeringAbstracts.map((abstract, k) =>
  makePaper({ id: 100 + k, title: `Activation Steering of Language Models, Part ${'ABCD'[k]}`, abstract }),
);
/** Says "steering" and is about the same thing, but never "activation". */
const sameIdeaOtherWords = makePaper({
  id: 110,
  title: 'Steering LLM Refusal Behavior at Inference Time',
  abstract: 'We shift the residual stream of the language model along a refusal direction; steering vectors reduce over-refusals without fine-tuning.',
});
/** Says "steering", about something else. */
const steeringWheels = makePaper({
  id: 111,
  title: 'Steering Wheeled Robots Through Crowds',
  abstract: 'A controller chooses where a wheeled platform goes among pedestrians, from lidar scans.',
});
const unrelated = [112, 113, 114, 115].map((id) =>
  makePaper({ id, title: `A Catalogue of Exoplanet Transits, Volume ${id}`, abstract: 'We report transit candidates around nearby stars and release light curves.' }),
);

function ids(ranked: readonly { paper: Paper }[]): number[] {
  return ranked.map((entry) => entry.paper.id);
}

describe('rankPapers with a keyword of several words', () => {
  it('selects a paper that says the words close together in one sentence, not word for word', () => {
    const near = makePaper({ id: 1, title: 'Programming Refusal', abstract: 'We steer the model by adding directions to its activations. Steering the activations at one layer is enough.' });
    const apart = makePaper({ id: 2, title: 'Steering Wheeled Robots', abstract: 'A pedestrian model predicts positions. Its hidden activations are read by a controller.' });
    const ranked = rankPapers(buildRankIndex([near, apart]), interests({ keywords: ['activation steering'] }), { size: 10 });
    expect(ids(ranked)).toEqual([1]);
    expect(ranked[0]!.reasons).toEqual(['activation steering']);
  });

  it('counts a typed keyword’s words near each other, but a taxonomy phrase only word for word', () => {
    const paper = makePaper({ id: 3, title: 'Models of the State Space of Markets', abstract: 'Prices move.' });
    const taxonomy: Topic[] = [{ slug: 'ssm', label: 'State space models', description: 'SSMs.', phrases: ['state space model'], categories: [] }];
    const index = buildRankIndex([paper], taxonomy);
    expect(ids(rankPapers(index, interests({ keywords: ['state space model'] }), { size: 5 }))).toEqual([3]);
    expect(rankPapers(index, interests({ topics: ['ssm'] }), { size: 5 })).toEqual([]);
  });

  it('fills a short digest with papers like the keyword’s clear matches, after them, named as related', () => {
    const papers = [...clearMatches, sameIdeaOtherWords, steeringWheels, ...unrelated];
    const ranked = rankPapers(buildRankIndex(papers), interests({ keywords: ['activation steering'] }), { size: 10 });
    expect(ids(ranked)).toEqual([...ids(ranked.slice(0, 4)), sameIdeaOtherWords.id]);
    expect(ids(ranked.slice(0, 4)).sort()).toEqual(clearMatches.map((paper) => paper.id));
    const related = ranked.at(-1)!;
    expect(related.reasons).toEqual(['related to activation steering']);
    expect(related.relevance).toBeLessThan(MIN_RELEVANCE);
    for (const entry of ranked.slice(0, 4)) expect(entry.relevance).toBeGreaterThanOrEqual(MIN_RELEVANCE);
  });

  it('adds related papers only when the digest has room, never an excluded or already sent one', () => {
    const index = buildRankIndex([...clearMatches, sameIdeaOtherWords, steeringWheels, ...unrelated]);
    const wanted = interests({ keywords: ['activation steering'] });
    expect(ids(rankPapers(index, wanted, { size: 4 })).sort()).toEqual(clearMatches.map((paper) => paper.id));
    expect(ids(rankPapers(index, wanted, { size: 10, exclude: new Set([sameIdeaOtherWords.id]) }))).not.toContain(sameIdeaOtherWords.id);
    expect(ids(rankPapers(index, { ...wanted, excluded: ['over-refusals'] }, { size: 10 }))).not.toContain(sameIdeaOtherWords.id);
  });

  it('learns no neighbourhood from fewer than three clear matches, nor for a single word', () => {
    const fewMatches = buildRankIndex([...clearMatches.slice(0, 2), sameIdeaOtherWords, steeringWheels, ...unrelated]);
    expect(relatedPapers(fewMatches, 'activation steering').positions).toHaveLength(0);
    const index = buildRankIndex([...clearMatches, sameIdeaOtherWords, steeringWheels, ...unrelated]);
    expect(relatedPapers(index, 'steering').positions).toHaveLength(0);
    expect(relatedPapers(index, 'activation steering').positions).toHaveLength(1);
  });

  it('scores a paper the keyword touches higher the more it resembles the clear matches', () => {
    const text = (id: number, abstract: string) => makePaper({ id, title: `Report ${id}`, abstract });
    const like = text(120, 'Steering the residual stream of the LLM changes refusal behavior: we add steering vectors to the activations.');
    const unlike = text(121, 'Steering the wheeled platform reads lidar scans of pedestrians: the controller uses the activations of a detector.');
    const index = buildRankIndex([...clearMatches, like, unlike, ...unrelated]);
    const { positions, scores } = keywordMatches(index, 'activation steering');
    const scoreOf = (paper: Paper) => scores[positions.indexOf(index.papers.indexOf(paper))]!;
    expect(scoreOf(like)).toBeGreaterThan(scoreOf(unlike));
  });
});

describe('excluded keywords', () => {
  it('remove a paper that says the phrase’s words close together, as they would select it', () => {
    const driving = makePaper({ id: 1, title: 'Planning for Cars', abstract: 'Driving of autonomous cars in cities needs maps.' });
    const robots = makePaper({ id: 2, title: 'Planning for Robots', abstract: 'A robot plans its driving route. It works autonomous of any map.' });
    const index = buildRankIndex([driving, robots]);
    expect([...keywordOccurrences(index, 'autonomous driving')]).toEqual([0]);
    expect(ids(rankPapers(index, interests({ keywords: ['planning'], excluded: ['autonomous driving'] }), { size: 5 }))).toEqual([2]);
  });
});

describe('reasons', () => {
  it('name at most three items, strongest first', () => {
    const paper = makePaper({
      id: 1,
      title: 'Mamba Mixture of Experts with Linear Attention',
      abstract: 'A state space model with mixture of experts layers and linear attention. Quantization halves memory.',
    });
    const ranked = rankPapers(
      buildRankIndex([paper]),
      interests({ keywords: ['quantization', 'mamba', 'mixture of experts', 'linear attention'] }),
      { size: 1 },
    );
    expect(ranked[0]!.reasons).toHaveLength(3);
    expect(ranked[0]!.reasons).not.toContain('quantization');
  });
});
