import { describe, expect, it } from 'vitest';
import { analyzePhrase, analyzeText, tokenize } from './analyze-text.js';

describe('analyzePhrase', () => {
  it.each([
    ['steering', 'steer'],
    ['Activation Steering', 'activation steer'],
    ['behaviour cloning', 'behavior cloning'],
    ['Behavioural', 'behavioral'],
    ['optimisation', 'optimization'],
    ['mixture-of-experts', 'Mixture of Experts'],
    ['pre-trained', 'pretrained'],
    ['multi-modal', 'multimodal'],
    ['fine-tuning', 'finetuning'],
    ['LLMs', 'LLM'],
    ['Café', 'cafe'],
    ['the “state” of the art', 'state art'],
  ])('gives %j the same stems as %j', (a, b) => {
    expect(analyzePhrase(a)).toEqual(analyzePhrase(b));
    expect(analyzePhrase(a).length).toBeGreaterThan(0);
  });

  it.each([
    ['generalization', 'generation'],
    ['interpretability', 'interpret'],
    ['exploration', 'explore'],
    ['tokenizer', 'token'],
    ['personalized', 'person'],
    ['optimal', 'optimization'],
  ])('keeps %j apart from %j, which Porter alone would merge', (a, b) => {
    expect(analyzePhrase(a)).not.toEqual(analyzePhrase(b));
  });

  it.each([
    ['GPT-4', ['gpt', '4']],
    ['3D reconstruction', ['3d', 'reconstruct']],
    ["VQ-BeT's modes", ['vq', 'bet', 'mode']],
    ['S4 layers', ['s4', 'layer']],
    ['Q-learning', ['q', 'learn']],
    ['of the and', []],
    ['  ', []],
  ])('analyzes %j into %j', (phrase, stems) => {
    expect(analyzePhrase(phrase)).toEqual(stems);
  });
});

describe('analyzeText', () => {
  it('splits sentences so that a phrase never spans two', () => {
    expect(analyzeText('We train a reward. Model sizes vary!')).toEqual([
      ['train', 'reward'],
      ['model', 'size', 'vari'],
    ]);
  });

  it('does not end a sentence inside a number or a category name', () => {
    expect(analyzeText('GPT-4.5 beats cs.CL baselines')).toEqual([['gpt', '4', '5', 'beat', 'cs', 'cl', 'baselin']]);
  });

  it('returns nothing for text without words', () => {
    expect(analyzeText('... !? --')).toEqual([]);
  });
});

describe('tokenize', () => {
  it('lower-cases, drops stop words and possessives, and keeps digits with their letters', () => {
    expect(tokenize("The model's 3D-aware encoder is not GPT-4o")).toEqual(['model', '3d', 'aware', 'encoder', 'gpt', '4o']);
  });
});
