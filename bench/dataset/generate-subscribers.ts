import type { SubscriberStatus } from '../../src/domain.js';
import { TAXONOMY } from '../../src/rank/taxonomy.js';
import type { NewSubscriber } from '../../src/store/subscribers.js';
import { createRandom, zipfWeights, type Random } from './random.js';

export interface GenerateSubscribersOptions {
  /** Active subscribers (the ones a run mails). */
  active: number;
  /** Further subscribers per active one that are pending, paused, unsubscribed or bounced. */
  inactiveShare: number;
  digestSize: number;
  seed: number;
}

/** What people type as keywords besides the topics' own phrases: methods, models, application areas. */
const EXTRA_KEYWORDS = [
  'mamba', 'state space model', 'activation steering', 'vision transformer', 'mixture of experts', 'RLHF',
  'in-context learning', 'diffusion policy', 'world model', 'tokenization', 'KV cache', 'speculative decoding',
  'quantization', 'sparse autoencoder', 'graph neural network', 'protein', 'weather forecasting', 'retrieval',
  'reward model', 'chain of thought', 'video generation', 'text-to-image', 'neural radiance fields',
  'gaussian splatting', 'offline reinforcement learning', 'imitation learning', 'contrastive learning',
  'knowledge distillation', 'federated learning', 'continual learning', 'memory', 'long context', 'linear attention',
  'self-supervised learning', 'benchmark', 'interpretability', 'hallucination', 'agents', 'code generation',
  'autonomous driving', 'trajectory prediction', 'latent actions', 'behavior transformer', 'decision transformer',
];
const EXCLUSIONS = ['survey', 'benchmark', 'medical', 'autonomous driving', 'LLM', 'robot', 'video'];
const INACTIVE: readonly SubscriberStatus[] = ['pending', 'paused', 'unsubscribed', 'bounced'];
const DOMAINS = ['example.org', 'example.com', 'example.net', 'uni.example.edu', 'lab.example.io'];

/**
 * Subscribers with varied interests, as a real list has them: topics by popularity (a few topics
 * most people pick, a long tail), keywords typed by some (often a topic's own phrase, sometimes in
 * another case), a few exclusions, and some addresses that are not active.
 * Deterministic per seed; streamed so 100k subscribers never sit in memory as one array.
 */
export function* generateSubscribers(options: GenerateSubscribersOptions): Generator<NewSubscriber> {
  const random = createRandom(options.seed);
  const topicOrder = shuffled(TAXONOMY.map((topic) => topic.slug), createRandom(options.seed ^ 0x5eed));
  const topicWeights = zipfWeights(topicOrder.length, 0.8);
  const keywordPool = shuffled([...new Set([...EXTRA_KEYWORDS, ...TAXONOMY.flatMap((topic) => topic.phrases)])], createRandom(options.seed ^ 0xc0de));
  const keywordWeights = zipfWeights(keywordPool.length, 1.0);
  const total = Math.round(options.active * (1 + options.inactiveShare));
  let activeLeft = options.active;
  for (let n = 0; n < total; n++) {
    const left = total - n;
    const status: SubscriberStatus = random.next() < activeLeft / left ? 'active' : random.pick(INACTIVE);
    if (status === 'active') activeLeft--;
    yield {
      email: `reader${n + 1}.${random.int(100, 999)}@${random.pick(DOMAINS)}`,
      status,
      interests: interestsOf(random, topicOrder, topicWeights, keywordPool, keywordWeights),
      digestSize: options.digestSize,
    };
  }
}

function interestsOf(random: Random, topicOrder: string[], topicWeights: number[], keywordPool: string[], keywordWeights: number[]): NewSubscriber['interests'] {
  const topicCount = random.weighted([0, 1, 2, 3, 4], [5, 45, 32, 13, 5]);
  const topics = new Set<string>();
  while (topics.size < topicCount) topics.add(random.weighted(topicOrder, topicWeights));
  const keywordCount = topics.size === 0 ? random.int(1, 3) : random.weighted([0, 1, 2, 3, 4], [55, 25, 12, 5, 3]);
  const keywords = new Set<string>();
  while (keywords.size < keywordCount) {
    const keyword = random.weighted(keywordPool, keywordWeights);
    keywords.add(random.chance(0.2) ? keyword.toLowerCase() : keyword);
  }
  const excluded = random.chance(0.04) ? [random.pick(EXCLUSIONS)] : [];
  return { topics: [...topics], keywords: [...keywords], excluded };
}

function shuffled<T>(items: T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
