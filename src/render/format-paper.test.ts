import { describe, expect, it } from 'vitest';
import { abbreviateName, abstractSnippet, paperLinks, shortenAuthors, whyItMatched } from './format-paper.js';

describe('abbreviateName', () => {
  it.each([
    ['Jakob Drachmann Havtorn', 'J. D. Havtorn'],
    ['Amelie Royer', 'A. Royer'],
    ['H. Jin Kim', 'H. J. Kim'],
    ['Jean-Pierre Dupont', 'J.-P. Dupont'],
    ['Vincent van der Berg', 'V. van der Berg'],
    ['Martin Luther King Jr.', 'M. L. King Jr.'],
    ['Havtorn, Jakob D.', 'J. D. Havtorn'],
    ['Björn Ommer', 'B. Ommer'],
    ['Ólafur Ragnar', 'Ó. Ragnar'],
    ['Plato', 'Plato'],
    ['张伟', '张伟'],
  ])('shortens %s to %s', (name, expected) => {
    expect(abbreviateName(name)).toBe(expected);
  });
});

describe('shortenAuthors', () => {
  it('lists the first three authors and then "et al."', () => {
    expect(shortenAuthors(['Patrick Esser', 'Robin Rombach', 'Björn Ommer', 'Another Author'])).toBe('P. Esser, R. Rombach, B. Ommer et al.');
  });

  it('lists all authors when there are three or fewer, skipping blank names', () => {
    expect(shortenAuthors(['Tim Lawson', '  ', 'Laurence\nAitchison'])).toBe('T. Lawson, L. Aitchison');
  });

  it('is empty without authors', () => {
    expect(shortenAuthors([])).toBe('');
  });
});

describe('abstractSnippet', () => {
  const abstract =
    'The input tokens to Vision Transformers carry little semantic meaning as they are defined as regular equal-sized patches of the input image, regardless of its content. However, processing uniform background areas of an image should not necessitate as much compute as dense, cluttered areas. To address this issue, we propose a dynamic mixed-scale tokenization scheme for ViT, MSViT.';

  it('cuts a long abstract at a word boundary near 300 characters and marks the cut', () => {
    const snippet = abstractSnippet({ abstract, aiSummary: null });
    expect(snippet.length).toBeLessThanOrEqual(301);
    expect(snippet.length).toBeGreaterThan(250);
    expect(snippet.endsWith('…')).toBe(true);
    expect(abstract.startsWith(snippet.slice(0, -1))).toBe(true);
    expect(abstract[snippet.length - 1]).toMatch(/[\s,.]/);
  });

  it('keeps a short abstract whole and collapses its whitespace', () => {
    expect(abstractSnippet({ abstract: '  We explore\n a data-driven approach.  ', aiSummary: 'ignored' })).toBe('We explore a data-driven approach.');
  });

  it('falls back to the AI summary only when there is no abstract', () => {
    expect(abstractSnippet({ abstract: '', aiSummary: 'A one-line summary.' })).toBe('A one-line summary.');
    expect(abstractSnippet({ abstract: '', aiSummary: null })).toBe('');
  });
});

describe('paperLinks', () => {
  const none = { arxivId: null, pdfUrl: null, hfUrl: null, codeUrl: null, projectUrl: null };

  it('derives the arXiv abstract and PDF links from the arXiv id', () => {
    expect(paperLinks({ ...none, arxivId: '2106.01345' })).toEqual([
      { label: 'arXiv', url: 'https://arxiv.org/abs/2106.01345' },
      { label: 'PDF', url: 'https://arxiv.org/pdf/2106.01345' },
    ]);
  });

  it('lists only the links that are known, in a fixed order', () => {
    expect(paperLinks({ ...none, codeUrl: 'https://github.com/kzl/decision-transformer', hfUrl: 'https://huggingface.co/papers/2106.01345' })).toEqual([
      { label: 'Hugging Face', url: 'https://huggingface.co/papers/2106.01345' },
      { label: 'Code', url: 'https://github.com/kzl/decision-transformer' },
    ]);
  });

  it.each([
    ['javascript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['/relative/path'],
    ['https://arxiv.org@evil.example/'],
    ['not a url'],
  ])('drops %s', (url) => {
    expect(paperLinks({ ...none, codeUrl: url, projectUrl: url })).toEqual([]);
  });

  it('drops an arXiv id that is not one', () => {
    expect(paperLinks({ ...none, arxivId: '2106.01345"><script>' })).toEqual([]);
  });
});

describe('whyItMatched', () => {
  it('names the matched topics and keywords and the upvotes', () => {
    expect(whyItMatched({ reasons: ['Efficient architectures', 'mamba'], paper: { upvotes: 1234 } })).toBe(
      'Matches: Efficient architectures · mamba — Trending: 1,234 upvotes',
    );
  });

  it.each([
    [[], null, ''],
    [[], 1, 'Trending: 1 upvote'],
    [['RLHF'], 0, 'Matches: RLHF'],
    [['RLHF'], Number.NaN, 'Matches: RLHF'],
  ])('says %j with %s upvotes as %j', (reasons, upvotes, expected) => {
    expect(whyItMatched({ reasons, paper: { upvotes } })).toBe(expected);
  });
});
