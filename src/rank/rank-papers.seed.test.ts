import { existsSync, readFileSync } from 'node:fs';
import path, { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Paper } from '../domain.js';
import { MIN_RELEVANCE, buildRankIndex, rankPapers } from './rank-papers.js';
import { TAXONOMY } from './taxonomy.js';
import { interests, makePaper } from './testdata/make-paper.js';

/** A real page of trending papers, kept beside the repository (../shared/README.md). */
const SEED_FILE = path.resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/seed/000_0ca694b34de452b2.txt');
const seedAvailable = existsSync(SEED_FILE);
const suiteName = seedAvailable
  ? 'rankPapers on a real page of trending papers'
  : `rankPapers on a real page of trending papers (skipped: ${SEED_FILE} not found; put the shared/ folder beside the repository)`;

/** Two banner lines, then a title line and an abstract line per paper; the first title has "Subscribe" glued on. */
function readSeedPapers(): Paper[] {
  const lines = readFileSync(SEED_FILE, 'utf8').split('\n').slice(2);
  const papers: Paper[] = [];
  for (let line = 0; line + 1 < lines.length; line += 2) {
    const title = lines[line]!.replace(/^Subscribe/, '').trim();
    if (title === '') continue;
    const rank = papers.length;
    // The page lists the most trending first.
    papers.push(makePaper({ id: rank + 1, title, abstract: lines[line + 1]!.trim(), trending: 1 - rank / 200 }));
  }
  return papers;
}

describe.skipIf(!seedAvailable)(suiteName, () => {
  const papers = seedAvailable ? readSeedPapers() : [];
  const index = buildRankIndex(papers);
  const titlesFor = (wanted: Parameters<typeof interests>[0], size = papers.length) =>
    rankPapers(index, interests(wanted), { size }).map((entry) => entry.paper.title);

  it('reads the 174 papers of the page', () => {
    expect(papers).toHaveLength(174);
    expect(papers[0]!.title).toBe('MSViT: Dynamic Mixed-Scale Tokenization for Vision Transformers');
  });

  // For each topic: papers it must select (titles, by their start) and papers it must leave out.
  const expectations: Record<string, { selects: string[]; leavesOut: string[] }> = {
    'nlp-llm': {
      selects: [
        'CTRL: A Conditional Transformer Language Model',
        'A Theoretical Understanding of Chain-of-Thought',
        'An Empirical Study of Mamba-based Language Models',
      ],
      leavesOut: ['Humanoid Locomotion as Next Token Prediction', 'Financial Risk Assessment'],
    },
    'llm-alignment': {
      selects: [
        'Programming Refusal with Conditional Activation Steering',
        'Pretraining Language Models with Human Preferences',
        'Refusal in LLMs is an Affine Function',
        'Reward Gaming in Conditional Text Generation',
      ],
      leavesOut: ['Decision Transformer: Reinforcement Learning via Sequence Modeling', 'Pointer Networks'],
    },
    'efficient-architectures': {
      selects: [
        'Decision Mamba',
        'Uni-Perceiver-MoE',
        'Mixture-of-Depths',
        'Linear Attention for Efficient Bidirectional',
        'An Empirical Study of Mamba-based',
        'Learning to Skip the Middle Layers',
      ],
      leavesOut: ['Refusal in LLMs is an Affine Function', 'BehaveGPT'],
    },
    'diffusion-models': {
      selects: ['Diffusion-NPO', 'T2V-Turbo-v2', 'Taming Transformers for High-Resolution Image Synthesis', 'ControlVAR'],
      leavesOut: ['Pointer Networks', 'Refusal in LLMs is an Affine Function'],
    },
    'reinforcement-learning': {
      selects: [
        'Decision Transformer: Reinforcement Learning via Sequence Modeling',
        'Q-Transformer',
        'In-Context Reinforcement Learning for Variable Action Spaces',
        'Learning to Play Atari',
      ],
      leavesOut: ['BehaveGPT', 'Theme Transformer'],
    },
    'robotics-embodied': {
      selects: [
        'SwitchVLA',
        'DiffClone',
        'Skill Transformer',
        'Humanoid Locomotion as Next Token Prediction',
        'Body Transformer',
      ],
      // "Behavior" here means what users, customers or payers do: not robotics.
      leavesOut: [
        'BehaveGPT',
        'Large Content And Behavior Models',
        'Fine-Grained Behavior Simulation',
        'Causality-Enhanced Behavior Sequence Modeling',
        'Financial Risk Assessment via Long-term Payment Behavior',
        'BehaviorBox',
      ],
    },
    'computer-vision': {
      selects: ['MSViT', 'Teaching Matters: Investigating the Role of Supervision in Vision Transformers'],
      leavesOut: ['Pointer Networks', 'Refusal in LLMs is an Affine Function'],
    },
    multimodal: {
      selects: ['DRESS', 'DreamVLA'],
      leavesOut: ['Behavior Generation with Latent Actions', 'Behavior Transformers: Cloning k modes'],
    },
    'agents-tool-use': {
      selects: ['Comprehensive Cognitive LLM Agent for Smartphone GUI Automation', 'AI Agent Behavioral Science'],
      leavesOut: ['Decision Transformer: Reinforcement Learning via Sequence Modeling'],
    },
    '3d-vision-graphics': { selects: ['Understanding 3D Object Interaction from a Single Image'], leavesOut: ['Pointer Networks'] },
    'speech-audio': { selects: ['Theme Transformer: Symbolic Music Generation'], leavesOut: ['BehaveGPT'] },
    'ml-theory-optimization': {
      selects: [
        'The Expressive Power of Transformers with Chain of Thought',
        'Towards Revealing the Mystery behind Chain of Thought: A Theoretical Perspective',
      ],
      leavesOut: ['SwitchVLA'],
    },
    'ai-for-science': { selects: ['Regression Transformer: Concurrent sequence regression and generation for molecular'], leavesOut: ['BehaveGPT'] },
    'evaluation-benchmarks': { selects: ['Towards Reliable Evaluation of Behavior Steering Interventions'], leavesOut: ['Pointer Networks'] },
    'safety-interpretability': {
      selects: [
        'Towards Automated Circuit Discovery for Mechanistic Interpretability',
        'A Mechanistic Analysis of a Transformer',
      ],
      leavesOut: ['Learning to Play Atari'],
    },
    'time-series': { selects: ['iTransformer', 'Transformers in Time Series: A Survey', 'Transformers in Time-series Analysis'], leavesOut: ['DiffClone'] },
    'recommender-systems': {
      selects: ['BehaveGPT', 'Causality-Enhanced Behavior Sequence Modeling in LLMs for Personalized Recommendation'],
      leavesOut: ['Behavior Transformers: Cloning k modes', 'BeTAIL'],
    },
    // No paper of this page is about learning on graphs: only inline fixtures could show a selection.
    'graph-learning': { selects: [], leavesOut: ['Decision Transformer: Reinforcement Learning via Sequence Modeling', 'BehaveGPT'] },
  };

  it('has an expectation for every topic of the taxonomy', () => {
    expect(Object.keys(expectations).sort()).toEqual(TAXONOMY.map((topic) => topic.slug).sort());
  });

  it.each(Object.entries(expectations))('selects sensible papers for %s', (slug, { selects, leavesOut }) => {
    const titles = titlesFor({ topics: [slug] });
    for (const start of selects) expect(titles.some((title) => title.startsWith(start)), `selects "${start}"`).toBe(true);
    for (const start of leavesOut) expect(titles.some((title) => title.startsWith(start)), `leaves out "${start}"`).toBe(false);
  });

  it('fills an efficient-architectures digest with Mamba and mixture-of-experts papers without those words typed', () => {
    const digest = titlesFor({ topics: ['efficient-architectures'] }, 10);
    expect(digest).toHaveLength(10);
    expect(digest.some((title) => /mamba/i.test(title))).toBe(true);
    expect(digest.some((title) => /moe|mixture-of/i.test(title))).toBe(true);
  });

  it('takes the bare keyword "behavior" literally, unlike the robotics topic', () => {
    expect(titlesFor({ keywords: ['behavior'] })).toContain('BehaveGPT: A Foundation Model for Large-scale User Behavior Modeling');
  });

  it('does not pick the vision paper with a "conditional gate" for the keyword "conditional generation"', () => {
    const titles = titlesFor({ keywords: ['conditional generation'] });
    expect(titles).toContain('Is Conditional Generative Modeling all you need for Decision-Making?');
    expect(titles.some((title) => title.startsWith('MSViT'))).toBe(false);
  });

  it('never lets the most trending paper of the page into a digest it does not match', () => {
    // MSViT is first on the page (trending 1).
    const titles = titlesFor({ topics: ['robotics-embodied', 'llm-alignment'] });
    expect(titles.length).toBeGreaterThan(10);
    expect(titles.some((title) => title.startsWith('MSViT'))).toBe(false);
  });

  it('gives every chosen paper enough relevance and at least one reason', () => {
    for (const topic of TAXONOMY) {
      for (const entry of rankPapers(index, interests({ topics: [topic.slug], keywords: ['steering'] }), { size: 10 })) {
        expect(entry.relevance).toBeGreaterThanOrEqual(MIN_RELEVANCE);
        expect(entry.reasons.length).toBeGreaterThan(0);
      }
    }
  });

  it('gives the same digest from an index built again over the papers in reverse order', () => {
    const wanted = interests({ topics: ['reinforcement-learning', 'efficient-architectures'], keywords: ['in-context learning'], excluded: ['survey'] });
    const once = rankPapers(index, wanted, { size: 10 });
    const again = rankPapers(buildRankIndex([...papers].reverse()), wanted, { size: 10 });
    expect(again.map((entry) => entry.paper.id)).toEqual(once.map((entry) => entry.paper.id));
    expect(once.some((entry) => /survey/i.test(entry.paper.title))).toBe(false);
  });
});
