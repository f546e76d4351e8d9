import { describe, expect, it } from 'vitest';
import { buildRankIndex, FEEDBACK_REASON, rankPapers } from './rank-papers.js';
import { interests, makePaper } from './testdata/make-paper.js';

// A "computer vision" day: three diffusion papers and three recognition papers, all on topic.
const diffusionVideo = makePaper({
  id: 11,
  title: 'Video Diffusion Models for Text-to-Video Generation',
  abstract: 'We extend latent diffusion models to video generation. A denoising diffusion process over video frames produces temporally coherent clips from text prompts, and a spatial upsampler raises resolution.',
  trending: 0.9,
});
const diffusionEditing = makePaper({
  id: 12,
  title: 'Prompt-to-Prompt Image Editing with Diffusion Models',
  abstract: 'Text-driven image editing with pretrained diffusion models: by editing cross-attention maps during denoising, the image generation follows a changed prompt while the layout is kept.',
  trending: 0.8,
});
const diffusionSampling = makePaper({
  id: 13,
  title: 'Fast Sampling of Diffusion Models for Image Generation',
  abstract: 'Denoising diffusion models generate high quality images but need hundreds of steps. We derive a solver that samples diffusion models for image generation in ten steps.',
  trending: 0.7,
});
const detection = makePaper({
  id: 21,
  title: 'End-to-End Object Detection with Transformers',
  abstract: 'We present a new method that views object detection as a direct set prediction problem for images, removing anchor boxes and non-maximum suppression from the detection pipeline.',
  trending: 0.1,
});
const segmentation = makePaper({
  id: 22,
  title: 'Segment Anything: Promptable Image Segmentation',
  abstract: 'We build a foundation model for image segmentation: a promptable segmentation model trained on a large dataset of masks, which transfers zero-shot to new image distributions.',
  trending: 0.1,
});
const tracking = makePaper({
  id: 23,
  title: 'Tracking Any Point in Video with Transformers',
  abstract: 'We track arbitrary points across video frames for object tracking and motion estimation, with a transformer that refines point tracks over time.',
  trending: 0.1,
});
const offTopicLiked = makePaper({
  id: 31,
  title: 'Protein Structure Prediction with Deep Learning',
  abstract: 'We predict protein structure from sequences with an attention network, reaching atomic accuracy on protein folding benchmarks.',
  trending: 1,
});
// A diffusion paper from an earlier day: not among today's candidates, but the one the reader clicked.
const yesterdaysDiffusion = makePaper({
  id: 99,
  title: 'High-Resolution Image Synthesis with Latent Diffusion Models',
  abstract: 'Diffusion models achieve state-of-the-art image generation. Training diffusion models in the latent space of pretrained autoencoders makes image generation and editing cheaper.',
});

const today = [diffusionVideo, diffusionEditing, diffusionSampling, detection, segmentation, tracking, offTopicLiked];
const reader = interests({ keywords: ['image generation', 'video', 'object detection', 'segmentation', 'diffusion models'] });

describe('rankPapers with reader feedback', () => {
  const ids = (ranked: { paper: { id: number } }[]) => ranked.map((r) => r.paper.id);

  it('ranks papers like one the reader asked fewer of lower, even when that paper is from an earlier day', () => {
    const index = buildRankIndex(today);
    const before = ids(rankPapers(index, reader, { size: 6 }));
    const after = ids(rankPapers(index, reader, { size: 6, feedback: { liked: [], disliked: [yesterdaysDiffusion] } }));
    expect(before.slice(0, 3).sort()).toEqual([11, 12, 13]);
    expect(after[0]).toBe(21);
    const meanRank = (order: number[]) => [11, 12, 13].reduce((sum, id) => sum + order.indexOf(id), 0) / 3;
    expect(meanRank(after)).toBeGreaterThan(meanRank(before));
  });

  it('ranks papers like a liked one higher, and says so', () => {
    const index = buildRankIndex(today);
    const before = ids(rankPapers(index, reader, { size: 6 }));
    const ranked = rankPapers(index, reader, { size: 6, feedback: { liked: [detection], disliked: [] } });
    expect(ids(ranked).indexOf(21)).toBeLessThan(before.indexOf(21));
    expect(ranked.find((r) => r.paper.id === 21)!.reasons).toContain(FEEDBACK_REASON);
    expect(ranked.find((r) => r.paper.id === 13)!.reasons).not.toContain(FEEDBACK_REASON);
  });

  it('never lets a liked off-topic paper in', () => {
    const index = buildRankIndex(today);
    const ranked = rankPapers(index, reader, { size: 7, feedback: { liked: [offTopicLiked, offTopicLiked], disliked: [] } });
    expect(ids(ranked)).not.toContain(31);
  });

  it('bounds one click: a disliked idea is pushed down, never out of a digest with room for it', () => {
    const index = buildRankIndex(today);
    const ranked = rankPapers(index, reader, { size: 6, feedback: { liked: [], disliked: [diffusionVideo, diffusionEditing, diffusionSampling] } });
    expect(ids(ranked)).toEqual(expect.arrayContaining([11, 12, 13]));
    for (const r of ranked) expect(r.score).toBeGreaterThanOrEqual(r.relevance * 0.5 - 1e-9);
  });

  it('leaves the index clean for the next subscriber', () => {
    const index = buildRankIndex(today);
    const plain = rankPapers(index, reader, { size: 6 });
    rankPapers(index, reader, { size: 6, feedback: { liked: [detection], disliked: [yesterdaysDiffusion] } });
    expect(rankPapers(index, reader, { size: 6 })).toEqual(plain);
  });
});
