import type { Interests, PaperEntry } from '../../src/domain.js';
import type { NewSubscriber } from '../../src/store/subscribers.js';

/** A PaperEntry with realistic defaults; override what a test is about. */
export function paperEntry(overrides: Partial<PaperEntry> & { arxivId?: string | null } = {}): PaperEntry {
  const arxivId = overrides.arxivId === undefined ? '2312.00752' : overrides.arxivId;
  return {
    key: arxivId ? `arxiv:${arxivId}` : `url:https://example.org/papers/${encodeURIComponent(overrides.title ?? 'untitled')}`,
    arxivId,
    doi: null,
    title: 'Mamba: Linear-Time Sequence Modeling with Selective State Spaces',
    abstract:
      'Foundation models, now powering most of the exciting applications in deep learning, are almost universally based on the Transformer architecture and its core attention module. We identify that a key weakness of such models is their inability to perform content-based reasoning, and make several improvements: letting the SSM parameters be functions of the input.',
    authors: ['Albert Gu', 'Tri Dao'],
    url: arxivId ? `https://arxiv.org/abs/${arxivId}` : 'https://example.org/papers/x',
    pdfUrl: arxivId ? `https://arxiv.org/pdf/${arxivId}` : null,
    hfUrl: arxivId ? `https://huggingface.co/papers/${arxivId}` : null,
    codeUrl: null,
    projectUrl: null,
    categories: ['cs.LG'],
    keywords: [],
    aiSummary: null,
    publishedAt: '2023-12-01T18:01:34.000Z',
    upvotes: null,
    trending: 0.3,
    announceType: 'new',
    ...overrides,
  };
}

export function newSubscriber(email: string, interests: Partial<Interests> = {}, overrides: Partial<NewSubscriber> = {}): NewSubscriber {
  return {
    email,
    status: 'active',
    interests: { topics: [], keywords: [], excluded: [], ...interests },
    digestSize: 10,
    ...overrides,
  };
}
