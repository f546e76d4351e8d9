import { describe, expect, it } from 'vitest';
import { analyzePhrase } from './analyze-text.js';
import { TAXONOMY, findTopic, isTopicSlug } from './taxonomy.js';

describe('TAXONOMY', () => {
  it('offers a reader-sized list of topics with unique kebab-case slugs and labels', () => {
    expect(TAXONOMY.length).toBeGreaterThanOrEqual(12);
    expect(TAXONOMY.length).toBeLessThanOrEqual(20);
    expect(new Set(TAXONOMY.map((topic) => topic.slug)).size).toBe(TAXONOMY.length);
    expect(new Set(TAXONOMY.map((topic) => topic.label)).size).toBe(TAXONOMY.length);
    for (const topic of TAXONOMY) expect(topic.slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it.each(TAXONOMY.map((topic) => [topic.slug, topic] as const))('describes %s in one line with at least a dozen phrases', (_, topic) => {
    expect(topic.label.trim()).not.toBe('');
    expect(topic.description).toMatch(/^[^\n]{20,140}$/);
    expect(topic.phrases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(TAXONOMY.map((topic) => [topic.slug, topic] as const))('gives every phrase of %s its own stems', (_, topic) => {
    const seen = new Map<string, string>();
    for (const phrase of topic.phrases) {
      const stems = analyzePhrase(phrase).join(' ');
      expect(stems, `"${phrase}" has no words left after analysis`).not.toBe('');
      expect(seen.get(stems), `"${phrase}" repeats "${seen.get(stems)}"`).toBeUndefined();
      seen.set(stems, phrase);
    }
  });

  it('names arXiv categories (an archive wildcard like q-bio.* allowed)', () => {
    for (const topic of TAXONOMY) {
      for (const category of topic.categories) expect(category).toMatch(/^[a-z-]+\.(?:[A-Za-z-]+|\*)$/);
    }
  });
});

describe('findTopic', () => {
  it.each([
    ['efficient-architectures', 'Efficient architectures'],
    ['robotics-embodied', 'Robotics & embodied AI'],
    ['Efficient-Architectures', undefined],
    ['', undefined],
    ['quantum-gravity', undefined],
  ])('finds %j as %j', (slug, label) => {
    expect(findTopic(slug)?.label).toBe(label);
    expect(isTopicSlug(slug)).toBe(label !== undefined);
  });
});
